import { caseFileUseCases, CASE_FILE_URL_TTL_MS, type CaseFileStore } from '../../../shared/case-files/case-file-use-cases';
import type { CaseFileDoc } from '../../../shared/case-files/case-file-repository';
import type { VisibleEvent } from '../../../shared/sharing/event-access';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import { contentVersion } from '../../../shared/domain/case-files/manifest';
import type { OrgType } from '../../../shared/domain/organisation';
import type { Action } from '../../../shared/domain/authorization';
import type { OutboxDraft } from '../../../shared/audit/audit-outbox-repository';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ConflictError, ForbiddenError, GoneError, NotFoundError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Case files on their own, over records in memory: what a requester may see decides what goes in,
 * a stalled build is queued again once however many read it, and a download is refused (and
 * recorded as refused) while building, after expiry and once what it copied has changed; a
 * download is recorded in each owner's chain and the requester's. The same against the emulator
 * in test/integration/app/case-files.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', other: 'retailer', police: 'agency' };

class Records implements CaseFileStore {
  docs = new Map<string, CaseFileDoc>();
  /** Events by id, with who may see them. */
  events = new Map<string, { event: RetailEvent; seenBy: string[] }>();
  erasedProfiles = new Set<string>();
  queued: { orgId: string; id: string }[] = [];
  settled: string[] = [];
  audited: { orgId: string; entry: AuditOf }[] = [];
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = async (caller: Caller, action: Action, id: string) => {
    await this.table.check(caller, action, id);
    return ORG_TYPES[caller.principal.orgId!]!;
  };
  visibleEvents = (caller: Caller, ids: readonly string[]) => {
    const events: VisibleEvent[] = [];
    for (const id of ids) {
      const found = this.events.get(id);
      if (found?.seenBy.includes(caller.principal.orgId!))
        events.push({ event: structuredClone(found.event), etag: '"1"', purging: false, storeJurisdiction: 'NZ', access: { relation: found.event.retailerId === caller.principal.orgId ? 'owner' : 'police', download: true, message: true, write: false } });
    }
    return Promise.resolve({ events, omitted: ids.length - events.length });
  };
  /** As case-file-contents: police read no profiles; an investigator those of the retailer that still exist. */
  visibleProfiles = (_caller: Caller, orgType: OrgType, ids: readonly string[]) => {
    const profiles = orgType === 'retailer' ? ids.filter((id) => !this.erasedProfiles.has(id)).map((id) => ({ id })) : [];
    return Promise.resolve({ profiles, omitted: ids.length - profiles.length });
  };
  private version = 0;
  insertCaseFile = (doc: CaseFileDoc, entry: OutboxDraft) => {
    if (this.docs.has(`${doc.orgId}/${doc.id}`)) return Promise.resolve(false);
    this.docs.set(`${doc.orgId}/${doc.id}`, { ...structuredClone(doc), _etag: `"${++this.version}"` });
    this.settled.push(`written ${entry.key}`);
    return Promise.resolve(true);
  };
  readCaseFile = (orgId: string, id: string) => Promise.resolve(structuredClone(this.docs.get(`${orgId}/${id}`)));
  /** Replaces only the version read, as Cosmos DB does with If-Match. */
  replaceCaseFile = (doc: CaseFileDoc) => {
    const current = this.docs.get(`${doc.orgId}/${doc.id}`);
    if (!current || current._etag !== doc._etag) return Promise.resolve(undefined);
    const next = { ...structuredClone(doc), _etag: `"${++this.version}"` };
    this.docs.set(`${doc.orgId}/${doc.id}`, next);
    return Promise.resolve(structuredClone(next));
  };
  queueBuild = (message: { orgId: string; id: string }) => {
    this.queued.push(message);
    return Promise.resolve();
  };
  settleFreshAudit = (_orgId: string, entry: OutboxDraft) => {
    this.settled.push(`settled ${entry.key}`);
    return Promise.resolve();
  };
  settleOverdueAudit = (_orgId: string, key: string) => {
    this.settled.push(`settled if overdue ${key}`);
    return Promise.resolve();
  };
  /** Case files other organisations hold (id → organisation). */
  elsewhere = new Map<string, string>();
  caseFileOwner = (id: string) => Promise.resolve(this.elsewhere.get(id));
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };
  caseFileUrl = (blobName: string, expiresOn: Date, fileName: string) => Promise.resolve(`https://blob.test/${blobName}?se=${expiresOn.toISOString()}&name=${fileName}`);

  event(id: string, retailerId: string, seenBy: string[]): RetailEvent {
    const event = { id, retailerId, storeId: 's1', type: 'theft', occurredAt: '2026-11-01T10:00:00Z', description: `event ${id}`, people: [], vehicles: [], products: [] } as unknown as RetailEvent;
    this.events.set(id, { event, seenBy });
    return event;
  }

  /** What the builder leaves: the file ready, the versions of what it copied recorded. */
  built(orgId: string, id: string, now: Date, expiresInMs = 7 * 86_400_000): void {
    const doc = this.docs.get(`${orgId}/${id}`)!;
    const eventVersions = Object.fromEntries(doc.eventIds.map((e) => [e, contentVersion(this.events.get(e)!.event)]));
    this.docs.set(`${orgId}/${id}`, { ...doc, _etag: `"${++this.version}"`, status: 'ready', blobName: `${orgId}/${id}.zip`, sha256: 'ab'.repeat(32), size: 1234, readyAt: now.toISOString(), expiresAt: new Date(now.getTime() + expiresInMs).toISOString(), eventVersions });
  }
}

const investigator = callerAs('shop', 'Investigator');
const officer: Caller = { ...callerAs('police', 'PoliceOfficer'), purpose: { legalBasis: 'investigation', caseReference: 'CASE-1' } } as Caller;
const now = new Date('2026-11-10T09:00:00Z');

function world() {
  const records = new Records();
  records.event('e1', 'shop', ['shop', 'police']);
  records.event('e2', 'shop', ['shop']);
  records.event('e3', 'other', ['other', 'police']);
  return { records, ...caseFileUseCases(records) };
}

describe('case files over records in memory', () => {
  it('takes in only the events the requester may see, counts the rest, writes its entry with it and queues the build before settling the entry', async () => {
    const { records, createCaseFile } = world();
    const file = await createCaseFile(officer, { title: 'Ram raids', eventIds: ['e1', 'e2', 'e3', 'nope'] }, 'cf1', now);
    expect(file).toMatchObject({ id: 'cf1', status: 'building', eventIds: ['e1', 'e3'], omitted: { events: 2, profiles: 0 } });
    expect(records.docs.get('police/cf1')).toMatchObject({ owners: ['other', 'shop'], requester: { orgType: 'agency', purpose: officer.purpose } });
    expect(records.queued).toEqual([{ orgId: 'police', id: 'cf1' }]);
    expect(records.settled).toEqual(['written casefile.create:cf1', 'settled casefile.create:cf1']);
  });

  it("an officer's profiles are omitted in the first answer already (police read events, not profiles), and still asked for in the build", async () => {
    const { records, createCaseFile } = world();
    const file = await createCaseFile(officer, { title: 'Ram raids', eventIds: ['e1'], profileIds: ['p1', 'p2'] }, 'cf2', now);
    expect(file).toMatchObject({ profileIds: [], omitted: { events: 0, profiles: 2 } });
    expect(records.docs.get('police/cf2')).toMatchObject({ requested: { eventIds: ['e1'], profileIds: ['p1', 'p2'] } });
    // An investigator's profile that is gone is omitted at once too.
    records.erasedProfiles.add('p2');
    expect(await createCaseFile(investigator, { title: 'Ram raids', eventIds: ['e1'], profileIds: ['p1', 'p2'] }, 'cf3', now)).toMatchObject({ profileIds: ['p1'], omitted: { profiles: 1 } });
  });

  it("an Idempotency-Key retry that took over from a first attempt which wrote the case file answers with it: one case file, its entry appended once", async () => {
    const { records, createCaseFile } = world();
    const first = await createCaseFile(officer, { title: 'Ram raids', eventIds: ['e1'] }, 'cf7', now);
    const again = await createCaseFile(officer, { title: 'Ram raids', eventIds: ['e1'] }, 'cf7', new Date(now.getTime() + 11_000));
    expect(again).toEqual(first);
    expect([...records.docs.keys()].filter((k) => k.endsWith('/cf7'))).toHaveLength(1);
    // The retry appends what the first left in the outbox (once, by its key), never an entry of its own.
    expect(records.settled).toEqual(['written casefile.create:cf7', 'settled casefile.create:cf7', 'settled if overdue casefile.create:cf7']);
    expect(records.queued).toEqual([{ orgId: 'police', id: 'cf7' }, { orgId: 'police', id: 'cf7' }]);
    // Sharing withdrawn between the two: the client still learns the id of what was stored (a 404 would leave it building unseen).
    records.events.get('e1')!.seenBy = [];
    expect(await createCaseFile(officer, { title: 'Ram raids', eventIds: ['e1'] }, 'cf7', new Date(now.getTime() + 12_000))).toEqual(first);
  });

  it('a title describing a sensitive characteristic of a person is refused (422), and nothing is written', async () => {
    const { records, createCaseFile } = world();
    await expect(createCaseFile(investigator, { title: 'The Muslim man, three thefts', eventIds: ['e1'] }, 'cf1', now)).rejects.toMatchObject({ code: 'SENSITIVE_TEXT' });
    expect(records.docs.size).toBe(0);
    expect(records.queued).toEqual([]);
    // A product or a place in the title is not a description of a person.
    await expect(createCaseFile(investigator, { title: 'Rosary beads taken from the gift aisle', eventIds: ['e1'] }, 'cf2', now)).resolves.toMatchObject({ id: 'cf2' });
    // A retry taking over from an attempt that stored its case file (before the title was screened) learns its id.
    records.docs.get('shop/cf2')!.title = 'The Muslim man, three thefts';
    await expect(createCaseFile(investigator, { title: 'The Muslim man, three thefts', eventIds: ['e1'] }, 'cf2', now)).resolves.toMatchObject({ id: 'cf2' });
  });

  it('answers 404 when none of the events is visible, and writes nothing', async () => {
    const { records, createCaseFile } = world();
    await expect(createCaseFile(officer, { title: 'x', eventIds: ['e2', 'nope'] }, 'cf1', now)).rejects.toBeInstanceOf(NotFoundError);
    expect(records.docs.size).toBe(0);
    expect(records.queued).toEqual([]);
  });

  it("another organisation's case file is 404, like one that does not exist; the attempt is in its holder's chain", async () => {
    const { records, createCaseFile, getCaseFile } = world();
    await createCaseFile(officer, { title: 'x', eventIds: ['e1'] }, 'cf1', now);
    records.elsewhere.set('cf1', officer.principal.orgId!);
    records.audited = [];
    await expect(getCaseFile(investigator, 'cf1', now)).rejects.toBeInstanceOf(NotFoundError);
    expect(records.audited).toEqual([{ orgId: officer.principal.orgId, entry: { action: 'casefile.read', target: { type: 'case-file', id: 'cf1' }, outcome: 'denied', details: { code: 'NOT_VISIBLE' } } }]);
  });

  it('queues a stalled build again once, however many read it, and records each read', async () => {
    const { records, createCaseFile, getCaseFile } = world();
    await createCaseFile(officer, { title: 'x', eventIds: ['e1'] }, 'cf1', now);
    const later = new Date(now.getTime() + 10 * 60_000);
    expect((await getCaseFile(officer, 'cf1', new Date(now.getTime() + 30_000))).status).toBe('building');
    expect(records.queued).toHaveLength(1);
    await Promise.all([getCaseFile(officer, 'cf1', later), getCaseFile(officer, 'cf1', later)]);
    expect(records.queued).toHaveLength(2);
    expect(records.audited.filter((a) => a.entry.action === 'casefile.read')).toHaveLength(3);
  });

  it('refuses a download while building (409), after expiry (410) and once an event changed (409), each refusal recorded', async () => {
    const { records, createCaseFile, caseFileContentUrl } = world();
    await createCaseFile(officer, { title: 'x', eventIds: ['e1', 'e3'] }, 'cf1', now);
    await expect(caseFileContentUrl(officer, 'cf1', now)).rejects.toMatchObject({ code: 'CASE_FILE_NOT_READY' });
    records.built('police', 'cf1', now, 60_000);
    await expect(caseFileContentUrl(officer, 'cf1', new Date(now.getTime() + 120_000))).rejects.toBeInstanceOf(GoneError);
    records.built('police', 'cf1', now);
    (records.events.get('e3')!.event as { description: string }).description = 'corrected';
    await expect(caseFileContentUrl(officer, 'cf1', now)).rejects.toMatchObject({ code: 'CASE_FILE_OUT_OF_DATE' });
    // Sharing withdrawn since the build: out of date too, never readable.
    records.built('police', 'cf1', now);
    records.events.get('e1')!.seenBy = ['shop'];
    await expect(caseFileContentUrl(officer, 'cf1', now)).rejects.toBeInstanceOf(ConflictError);
    expect(records.audited.filter((a) => a.entry.outcome === 'denied').map((a) => (a.entry.details as { code: string }).code)).toEqual([
      'CASE_FILE_NOT_READY',
      'CASE_FILE_EXPIRED',
      'CASE_FILE_OUT_OF_DATE',
      'CASE_FILE_OUT_OF_DATE',
    ]);
  });

  it("hands out a five-minute URL and records the download in each owner's chain with its own events, and in the requester's", async () => {
    const { records, createCaseFile, caseFileContentUrl } = world();
    await createCaseFile(officer, { title: 'x', eventIds: ['e1', 'e3'] }, 'cf1', now);
    records.built('police', 'cf1', now);
    const url = await caseFileContentUrl(officer, 'cf1', now);
    expect(url).toBe(`https://blob.test/police/cf1.zip?se=${new Date(now.getTime() + CASE_FILE_URL_TTL_MS).toISOString()}&name=case-file-cf1.zip`);
    const downloads = records.audited.filter((a) => a.entry.action === 'casefile.download');
    expect(downloads.map((d) => [d.orgId, (d.entry.details as { eventIds: string[] }).eventIds])).toEqual([
      ['other', ['e3']],
      ['shop', ['e1']],
      ['police', ['e1', 'e3']],
    ]);
  });

  it('a profile erased since the build makes it out of date', async () => {
    const { records, createCaseFile, caseFileContentUrl } = world();
    await createCaseFile(investigator, { title: 'x', eventIds: ['e1'], profileIds: ['p1'] }, 'cf2', now);
    records.built('shop', 'cf2', now);
    records.erasedProfiles.add('p1');
    await expect(caseFileContentUrl(investigator, 'cf2', now)).rejects.toMatchObject({ code: 'CASE_FILE_OUT_OF_DATE' });
  });

  it('asks the one table: a Reporter may not ask for one, a download needs a fresh second factor, and nothing is written for them', async () => {
    const { records, createCaseFile, caseFileContentUrl } = world();
    await expect(createCaseFile(callerAs('shop', 'Reporter'), { title: 'x', eventIds: ['e1'] }, 'cf1', now)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.docs.size).toBe(0);
    await createCaseFile(investigator, { title: 'x', eventIds: ['e1'] }, 'cf1', now);
    records.built('shop', 'cf1', now);
    await expect(caseFileContentUrl(callerAs('shop', 'Investigator', false), 'cf1', now)).rejects.toMatchObject({ code: 'MFA_REQUIRED' });
    expect(records.table.asked).toEqual(['casefile.create *', 'casefile.create *', 'casefile.download cf1']);
  });
});
