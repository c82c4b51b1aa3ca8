import { messageUseCases, type MessageStore } from '../../../shared/sharing/messages';
import type { MessageDoc } from '../../../shared/sharing/message-repository';
import type { VisibleEvent } from '../../../shared/sharing/event-access';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { OrgType } from '../../../shared/domain/organisation';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError, NotFoundError, UnprocessableError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Messages on a shared event, over records in memory: the text screened before anything is
 * written, who may take part (the owner's investigators, the police it is shared with), each
 * agency seeing the retailer's messages and its own only, and every post and read in the owner's
 * chain. The same against the emulator in test/integration/app/messages.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', partner: 'retailer', police: 'agency', police2: 'agency' };

class Records implements MessageStore {
  event = { id: 'e1', retailerId: 'shop' } as unknown as RetailEvent;
  /** Who besides the owner sees the event, and whether they may message. */
  sharedWith: Record<string, { relation: 'police' | 'partner'; message: boolean }> = { police: { relation: 'police', message: true }, police2: { relation: 'police', message: true }, partner: { relation: 'partner', message: false } };
  messages: MessageDoc[] = [];
  settled: string[] = [];
  audited: { orgId: string; entry: AuditOf }[] = [];
  failWrites = false;
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = (caller: Caller, eventId: string) => this.table.check(caller, 'event.message', eventId);
  loadVisibleEvent = (caller: Caller, eventId: string): Promise<VisibleEvent> => {
    const org = caller.principal.orgId!;
    const owner = org === this.event.retailerId;
    const shared = this.sharedWith[org];
    if (eventId !== this.event.id || (!owner && !shared)) return Promise.reject(new NotFoundError());
    const message = owner ? caller.principal.roles.includes('Investigator') : shared!.message;
    return Promise.resolve({ event: this.event, etag: '"1"', purging: false, storeJurisdiction: 'NZ', access: { relation: owner ? 'owner' : shared!.relation, download: false, message, write: owner } });
  };
  /** The store wrote the message but its answer was lost: the write, sent again, is refused as there already. */
  answerLost = false;
  writeMessage = (doc: MessageDoc) => {
    if (this.failWrites) return Promise.reject(new Error(`messages ${doc.id} could not be created.`));
    if (this.messages.some((m) => m.id === doc.id)) return Promise.resolve(false);
    this.messages.push(structuredClone(doc));
    return Promise.resolve(!this.answerLost);
  };
  readMessage = (retailerId: string, id: string) => Promise.resolve(structuredClone(this.messages.find((m) => m.orgId === retailerId && m.id === id)));
  overdue: string[] = [];
  settleOverdueAudit = (orgId: string, key: string) => Promise.resolve(void this.overdue.push(`${orgId} ${key}`));
  drafts: unknown[] = [];
  settleFreshAudit = (orgId: string, entry: { key: string; draft: unknown }) => {
    this.settled.push(`${orgId} ${entry.key}`);
    this.drafts.push(entry.draft);
    return Promise.resolve();
  };
  messagesOf = (retailerId: string, eventId: string) => Promise.resolve(structuredClone(this.messages.filter((m) => m.orgId === retailerId && m.eventId === eventId).sort((a, b) => a.createdAt.localeCompare(b.createdAt))));
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };
}

const investigator = callerAs('shop', 'Investigator');
const officer = callerAs('police', 'PoliceOfficer');
const otherOfficer = callerAs('police2', 'PoliceOfficer');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 9, minute));

function world() {
  const records = new Records();
  return { records, ...messageUseCases(records) };
}

describe('messages on a shared event, over records in memory', () => {
  it("each agency sees the retailer's messages and its own, never another agency's; the retailer sees all, oldest first", async () => {
    const { postMessage, listMessages } = world();
    await postMessage(investigator, 'e1', 'Footage attached to the event.', at(1));
    await postMessage(officer, 'e1', 'Thanks, linked to our file 24-1187.', at(2));
    await postMessage(otherOfficer, 'e1', 'Same vehicle seen in our district.', at(3));
    expect((await listMessages(investigator, 'e1')).map((m) => m.author.org)).toEqual(['shop', 'police', 'police2']);
    expect((await listMessages(officer, 'e1')).map((m) => m.body)).toEqual(['Footage attached to the event.', 'Thanks, linked to our file 24-1187.']);
    expect((await listMessages(otherOfficer, 'e1')).map((m) => m.author)).toEqual([
      { sub: 'Investigator@shop', org: 'shop', relation: 'owner' },
      { sub: 'PoliceOfficer@police2', org: 'police2', relation: 'police' },
    ]);
  });

  it("records each post with its message (written and settled in the owner's chain) and each read with its count", async () => {
    const { records, postMessage, listMessages } = world();
    const posted = await postMessage(officer, 'e1', 'Please hold the footage.', at(1));
    expect(records.settled).toEqual([`shop event.message.post:${posted.id}`]);
    expect(records.drafts).toEqual([expect.objectContaining({ action: 'event.message.post', target: { type: 'event', id: 'e1' }, details: { messageId: posted.id } })]);
    await listMessages(officer, 'e1');
    expect(records.audited).toEqual([{ orgId: 'shop', entry: { action: 'event.message.read', target: { type: 'event', id: 'e1' }, details: { count: 1 } } }]);
  });

  it('refuses a message that describes a person by a sensitive characteristic (422), and writes nothing', async () => {
    const { records, postMessage } = world();
    await expect(postMessage(officer, 'e1', 'The suspect is a known Greens activist.', at(1))).rejects.toBeInstanceOf(UnprocessableError);
    // Visibility first: on an event the caller cannot see, the answer is 404 whatever the text.
    await expect(postMessage(officer, 'e9', 'The suspect is a known Greens activist.', at(1))).rejects.toBeInstanceOf(NotFoundError);
    expect(records.messages).toEqual([]);
    expect(records.settled).toEqual([]);
  });

  it('the one table refuses a Reporter (403); a partner who sees the event but may not message, or anyone who does not see it, gets 404', async () => {
    const { records, postMessage, listMessages } = world();
    await expect(postMessage(callerAs('partner', 'Investigator'), 'e1', 'hello', at(1))).rejects.toBeInstanceOf(NotFoundError);
    await expect(listMessages(callerAs('police', 'PoliceOfficer'), 'e9')).rejects.toBeInstanceOf(NotFoundError);
    await expect(listMessages(callerAs('shop', 'Reporter'), 'e1')).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.table.asked).toEqual(['event.message e1', 'event.message e9', 'event.message e1']);
    expect(records.audited).toEqual([]);
  });

  it('a message the store could not write is an error, not a silent success, and its entry is not settled', async () => {
    const { records, postMessage } = world();
    records.failWrites = true;
    await expect(postMessage(officer, 'e1', 'hello', at(1))).rejects.toThrow(/could not be created/);
    expect(records.settled).toEqual([]);
  });

  it("a write whose answer was lost is this request's own: answered as written, one message, its entry settled", async () => {
    const { records, postMessage } = world();
    records.answerLost = true;
    const posted = await postMessage(officer, 'e1', 'hello', at(1));
    expect(records.messages.map((m) => m.id)).toEqual([posted.id]);
    expect(records.settled).toEqual([`shop event.message.post:${posted.id}`]);
  });

  it("an Idempotency-Key's retry that takes over from an attempt which wrote the message answers with that message, and writes nothing", async () => {
    const { records, postMessage } = world();
    const first = await postMessage(officer, 'e1', 'hello', at(1), 'claimed-1');
    expect(first.id).toBe('claimed-1');
    const again = await postMessage(officer, 'e1', 'hello', at(2), 'claimed-1');
    expect(again).toEqual(first);
    expect(records.messages).toHaveLength(1);
    // Its entry: the first attempt's (settled fresh), or once overdue the retry's; never two.
    expect(records.settled).toEqual(['shop event.message.post:claimed-1']);
    expect(records.overdue).toEqual(['shop event.message.post:claimed-1']);
  });
});
