import { randomUUID } from 'node:crypto';
import { container } from '../../../shared/adapters/cosmos-containers';
import { appendAudit } from '../../../shared/audit/audit-log';
import { auditDraftFor } from '../../../shared/audit/audited-authorize';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import { readAuditOutbox, writeAudited, writeAuditOutbox, type OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import { createOperation } from '../../../shared/adapters/cosmos-batch';
import { getSettings, insertOrg, saveSettings, upsertStore } from '../../../shared/orgs/org-repository';
import { readLink, replaceLink } from '../../../shared/matching/link-repository';
import { call, createOrg } from '../support/api';
import { writeAgreement } from '../../../shared/sharing/agreement-repository';
import { agreementId } from '../../../shared/domain/sharing';
import { buildEvent, auditDetails } from '../../../shared/domain/events/event-rules';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import type { Principal } from '../../../shared/domain/principal';
import { createEvent } from '../../../shared/events/create-event';
import { readEvent, replaceEvent } from '../../../shared/events/event-repository';
import { purgeEvent } from '../../../shared/events/purge-event';
import { insertEvidenceDoc, type EvidenceDoc } from '../../../shared/evidence/evidence-repository';
import { writeNewEventAtOnce } from '../../../shared/events/write-new-event';
import { eventBody, retailerWorld } from '../support/world';

/**
 * A new event and the audit entry of its creation live in different partitions: the entry rides in
 * the event's batch as an outbox document, is appended once the event is stored, and the document
 * is cleared. Here the process "crashes" after each step (the steps are run by hand and the rest
 * left undone); the sweep, or a retry of the request, must leave exactly one entry for a stored
 * event and none for an event that was never stored.
 */
const later = () => new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000);

/** The request ids of the chain's entries of this action on this target (one query across the chain's segments). */
async function entriesFor(orgId: string, action: string, target: string): Promise<{ requestId: string }[]> {
  const { resources } = await container('audit')
    .items.query<{ requestId: string }>(
      {
        query: "SELECT c.requestId FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND c.action = @action AND c.target.id = @target",
        parameters: [
          { name: '@orgId', value: orgId },
          { name: '@action', value: action },
          { name: '@target', value: target },
        ],
      },
      // Across the chain's segments.
      {},
    )
    .fetchAll();
  return resources;
}
const createEntries = (orgId: string, eventId: string) => entriesFor(orgId, 'event.create', eventId);

async function newEvent() {
  const w = await retailerWorld();
  const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
  const caller = { principal, requestId: `first-${randomUUID()}` };
  const input = EventInputSchema.parse(eventBody({ people: [{ ref: 'p1', role: 'offender', name: { given: 'Outbox', family: `Crash${randomUUID().slice(0, 6)}` } }] }));
  const event = buildEvent(randomUUID(), w.org, input, principal.sub, new Date());
  const entry: OutboxEntry = {
    key: `event.create@${event.id}`,
    draft: auditDraftFor(caller, { action: 'event.create', target: { type: 'event', id: event.id }, details: auditDetails(event) }),
    proofId: event.id,
  };
  return { w, principal, caller, input, event, entry };
}

describe('the audit outbox: an event is never stored without its entry, nor an entry written for an event never stored', () => {
  it('crash after the batch (event and outbox stored, no entry): the sweep appends the entry once and clears the outbox; a second sweep adds nothing', async () => {
    const { w, event, entry } = await newEvent();
    expect(await writeNewEventAtOnce(event, 'NZ-AKL', new Map(), new Date(), entry)).toBeDefined();
    expect(await readEvent(w.org, event.id)).toBeDefined();
    expect(await createEntries(w.org, event.id)).toEqual([]);

    // Not overdue yet: a request may still be finishing it.
    await drainAuditOutbox(new Date(), w.org);
    expect(await readAuditOutbox(w.org, entry.key)).toBeDefined();

    await drainAuditOutbox(later(), w.org);
    expect(await createEntries(w.org, event.id)).toEqual([{ requestId: entry.draft.requestId }]);
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
    await drainAuditOutbox(later(), w.org);
    expect(await createEntries(w.org, event.id)).toHaveLength(1);
  });

  it('crash after the entry was appended, before the outbox was cleared: the sweep clears it without a second entry', async () => {
    const { w, event, entry } = await newEvent();
    await writeNewEventAtOnce(event, 'NZ-AKL', new Map(), new Date(), entry);
    await appendAudit(w.org, entry.draft);
    await drainAuditOutbox(later(), w.org);
    expect(await createEntries(w.org, event.id)).toHaveLength(1);
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
  });

  it('a denied entry of the same request (a change refused part-way, finished later) does not stand for the success entry its outbox holds: the sweep appends that too', async () => {
    const { w, event, entry } = await newEvent();
    await writeNewEventAtOnce(event, 'NZ-AKL', new Map(), new Date(), entry);
    await appendAudit(w.org, { ...entry.draft, outcome: 'denied', details: { code: 'LEGAL_HOLD' } });
    await drainAuditOutbox(later(), w.org);
    expect((await createEntries(w.org, event.id)).map((e) => e.requestId)).toEqual([entry.draft.requestId, entry.draft.requestId]);
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
  });

  it('crash after the outbox document, before the event (written one by one): no entry, and the outbox is cleared', async () => {
    const { w, event, entry } = await newEvent();
    await writeAuditOutbox(w.org, entry, new Date());
    await drainAuditOutbox(later(), w.org);
    expect(await readEvent(w.org, event.id)).toBeUndefined();
    expect(await createEntries(w.org, event.id)).toEqual([]);
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
  });

  it("a retry of the request (same event id) after a crash after the batch answers with the event and appends the first attempt's entry, once", async () => {
    const { w, principal, input, event, entry } = await newEvent();
    await writeNewEventAtOnce(event, 'NZ-AKL', new Map(), new Date(event.createdAt), entry);
    const retried = await createEvent({ principal, requestId: `retry-${randomUUID()}` }, input, event.id);
    expect(retried.event.id).toBe(event.id);
    expect(await createEntries(w.org, event.id)).toEqual([{ requestId: entry.draft.requestId }]);
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
    // And once more: the event is found, its entry is there, nothing is added.
    await createEvent({ principal, requestId: `retry-${randomUUID()}` }, input, event.id);
    expect(await createEntries(w.org, event.id)).toHaveLength(1);
  });

  it.each(['event.update', 'event.legal-hold.place', 'event.delete'])(
    'crash after a %s was stored, before its entry: the entry was stored with it, and the sweep appends it once',
    async (action) => {
      const { w, principal, input, caller } = await newEvent();
      const made = await createEvent({ principal, requestId: `made-${randomUUID()}` }, input);
      const stored = (await readEvent(w.org, made.event.id))!;
      const entry: OutboxEntry = { key: `${action}:${randomUUID()}@${made.event.id}`, draft: auditDraftFor(caller, { action, target: { type: 'event', id: made.event.id } }) };
      if (action === 'event.delete') await purgeEvent(w.org, made.event.id, { audit: entry });
      else await replaceEvent({ ...stored.event, prevented: !stored.event.prevented }, stored.etag, stored.storeJurisdiction, false, entry);
      await drainAuditOutbox(later(), w.org);
      await drainAuditOutbox(later(), w.org);
      expect(await entriesFor(w.org, action, made.event.id)).toHaveLength(1);
      expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
    },
  );

  it('crash after an evidence record was created, before its entry: the entry (stored in the evidence batch) is appended once by the sweep', async () => {
    const { w, principal, input, caller } = await newEvent();
    const made = await createEvent({ principal, requestId: `made-${randomUUID()}` }, input);
    const id = randomUUID();
    const now = new Date();
    const doc = {
      id, orgId: w.org, docType: 'evidence', eventId: made.event.id, kind: 'image', fileName: 'cam.jpg',
      declared: { contentType: 'image/jpeg', size: 10, sha256: null }, status: 'pending', reason: null, sha256: null, size: null, mediaType: null, image: null,
      createdAt: now.toISOString(), createdBy: principal.sub, uploadExpiresAt: now.toISOString(), processedAt: null, uploadEtag: null, custodyLogged: false,
    } satisfies EvidenceDoc;
    const entry: OutboxEntry = { key: `evidence.create@${id}`, where: 'evidence-audit-outbox', draft: auditDraftFor(caller, { action: 'evidence.create', target: { type: 'evidence', id } }) };
    await insertEvidenceDoc(doc, entry, now);
    expect(await readAuditOutbox(w.org, entry.key, 'evidence-audit-outbox')).toBeDefined();
    await drainAuditOutbox(later(), w.org);
    await drainAuditOutbox(later(), w.org);
    expect(await entriesFor(w.org, 'evidence.create', id)).toHaveLength(1);
    expect(await readAuditOutbox(w.org, entry.key, 'evidence-audit-outbox')).toBeUndefined();
  });

  it('a change refused (412: the version read is gone) stores no outbox document, so no entry', async () => {
    const { w, principal, input, caller } = await newEvent();
    const made = await createEvent({ principal, requestId: `made-${randomUUID()}` }, input);
    const stored = (await readEvent(w.org, made.event.id))!;
    const entry: OutboxEntry = { key: `event.update:${randomUUID()}@${made.event.id}`, draft: auditDraftFor(caller, { action: 'event.update', target: { type: 'event', id: made.event.id } }) };
    await expect(replaceEvent(stored.event, '"stale"', stored.storeJurisdiction, false, entry)).rejects.toMatchObject({ kind: 'precondition-failed' });
    expect(await readAuditOutbox(w.org, entry.key)).toBeUndefined();
  });

  it('a request that completes leaves its entry and no outbox document', async () => {
    const { w, principal, input } = await newEvent();
    const made = await createEvent({ principal, requestId: `whole-${randomUUID()}` }, input);
    expect(await createEntries(w.org, made.event.id)).toHaveLength(1);
    expect(await readAuditOutbox(w.org, `event.create@${made.event.id}`)).toBeUndefined();
  });
});

describe('other writes carry their entry in their own batch: a crash before the entry leaves it to the sweep, once', () => {
  const entriesOf = async (orgId: string, action: string, target: string) => (await entriesFor(orgId, action, target)).length;
  const entryFor = (action: string, target: string): OutboxEntry => ({
    key: `${action}:${target}:${randomUUID()}`,
    draft: auditDraftFor({ principal: { sub: 'admin-1', orgId: null, roles: ['PlatformAdmin'], stores: null, mfa: true }, requestId: randomUUID() }, { action, target: { type: action.split('.')[0]!, id: target } }),
  });

  it.each(['org.create', 'store.create', 'settings.update', 'event.message.post'])('%s', async (action) => {
    const { w, principal, input } = await newEvent();
    let org = w.org;
    let target: string;
    let entry: OutboxEntry;
    if (action === 'org.create') {
      org = `ret-${randomUUID().slice(0, 8)}`;
      target = org;
      entry = entryFor(action, target);
      await insertOrg({ id: org, type: 'retailer', name: 'Outbox test', jurisdictions: [], createdAt: new Date().toISOString(), createdBy: 'admin-1', status: 'active' }, entry);
    } else if (action === 'store.create') {
      target = `st-${randomUUID().slice(0, 6)}`;
      entry = entryFor(action, target);
      await upsertStore({ id: target, retailerId: org, name: 'S', jurisdiction: 'NZ-AKL', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() }, () => entry);
    } else if (action === 'settings.update') {
      target = org;
      entry = entryFor(action, target);
      const current = await getSettings(org);
      await saveSettings(org, { ...current.settings, retentionDays: 400 }, current.etag, entry);
    } else {
      const made = await createEvent({ principal, requestId: `made-${randomUUID()}` }, input);
      target = made.event.id;
      entry = { ...entryFor(action, target), where: 'messages-audit-outbox' };
      const id = randomUUID();
      await writeAudited(org, [createOperation({ id, orgId: org, docType: 'message', eventId: target, body: 'Call me', createdAt: new Date().toISOString() })], { ...entry, where: 'messages-audit-outbox' });
    }
    expect(await entriesOf(org, action, target)).toBe(0);
    await drainAuditOutbox(later(), org);
    await drainAuditOutbox(later(), org);
    expect(await entriesOf(org, action, target)).toBe(1);
  });

  it("an agreement proposed before a crash: each party's chain gets its entry once, from the agreement's own partition", async () => {
    const [a, b] = [await createOrg('retailer'), await createOrg('retailer')];
    const id = agreementId(a, b);
    const agreement = { id, parties: (a < b ? [a, b] : [b, a]) as [string, string], proposedBy: a, partnerRetailerId: b, status: 'proposed' as const, createdAt: new Date().toISOString(), acceptedAt: null, revokedAt: null, revokedBy: null };
    const entries = agreement.parties.map((org) => ({ ...entryFor('agreement.propose', id), chain: org }));
    await writeAgreement(agreement, null, entries);
    expect([await entriesOf(a, 'agreement.propose', id), await entriesOf(b, 'agreement.propose', id)]).toEqual([0, 0]);
    await drainAuditOutbox(later(), id);
    await drainAuditOutbox(later(), id);
    expect([await entriesOf(a, 'agreement.propose', id), await entriesOf(b, 'agreement.propose', id)]).toEqual([1, 1]);
  });

  it('a link decision recorded before a crash (no merge, no entry yet): the same decision again finishes the merge, answers 200, and the entry is there once', async () => {
    const w = await retailerWorld();
    const post = async (given: string) => {
      const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [{ ref: 'p1', role: 'offender', name: { given, family: 'Outboxley' }, dateOfBirth: '1984-02-29', phone: '+64217770001' }], vehicles: [] }) });
      expect(res.status).toBe(201);
      return res.body as { id: string; people: { profileId: string }[] };
    };
    await post('Tamsin');
    await post('Tamsin');
    let link: { id: string; subject: { profileId: string }; candidate: { profileId: string } } | undefined;
    for (let i = 0; i < 60 && !link; i++) {
      link = (await call('GET', '/api/v1/links?status=pending', { token: w.investigator })).body.items[0];
      if (!link) await new Promise((r) => setTimeout(r, 250));
    }
    expect(link).toBeDefined();
    const found = (await readLink(w.org, link!.id))!;
    const entry = { key: `link.accept@${link!.id}`, draft: auditDraftFor({ principal: { sub: 'inv-1', orgId: w.org, roles: ['Investigator'], stores: null, mfa: false }, requestId: randomUUID() }, { action: 'link.accept', target: { type: 'link', id: link!.id } }) };
    // The first attempt got as far as the decision and its outbox document, then died.
    await replaceLink(w.org, { ...found.link, status: 'accepted', decision: { by: 'inv-1', at: new Date().toISOString() } }, found.etag, [entry]);
    expect(await entriesOf(w.org, 'link.accept', link!.id)).toBe(0);
    const again = await call('POST', `/api/v1/links/${link!.id}/decision`, { token: w.investigator, body: { decision: 'accept' } });
    expect([again.status, again.body.status]).toEqual([200, 'accepted']);
    expect((await call('GET', `/api/v1/profiles/${link!.subject.profileId}`, { token: w.investigator })).status).toBe(404);
    expect(await entriesOf(w.org, 'link.accept', link!.id)).toBe(1);
    // A third time changes nothing; the other decision is still refused.
    expect((await call('POST', `/api/v1/links/${link!.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(200);
    expect(await entriesOf(w.org, 'link.accept', link!.id)).toBe(1);
    expect((await call('POST', `/api/v1/links/${link!.id}/decision`, { token: w.investigator, body: { decision: 'reject' } })).body.code).toBe('ALREADY_DECIDED');
  });
});
