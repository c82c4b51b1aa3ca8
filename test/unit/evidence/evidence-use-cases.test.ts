import { assertCanSeeOwnEvent } from '../../../shared/domain/events/event-rules';
import { ANOTHER_ORGANISATION } from '../../../shared/domain/case-files/custody';
import { evidenceUseCases, DOWNLOAD_URL_TTL_MS, UPLOAD_URL_TTL_MS, type EvidenceStore } from '../../../shared/evidence/evidence-use-cases';
import type { EvidenceDoc } from '../../../shared/evidence/evidence-repository';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { VisibleEvent } from '../../../shared/sharing/event-access';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import { DEFAULT_LIMITS } from '../../../shared/domain/evidence/evidence-rules';
import { sealEntry, GENESIS_HASH, type AuditEntry } from '../../../shared/domain/audit-chain';
import type { Action } from '../../../shared/domain/authorization';
import type { OrgType } from '../../../shared/domain/organisation';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError, NotFoundError, UnprocessableError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Evidence on its own, over records and bytes in memory: the declaration refused before anything
 * is written, a refusal on another retailer's item answering 404 as a missing one does, what the
 * police and a partner may read and download, every download attempt in the chain, and the chain of
 * custody with the stored bytes checked. The same against the emulators in
 * test/integration/app/evidence.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', other: 'retailer', partner: 'retailer', police: 'agency' };
const SHA = 'a'.repeat(64);

class Records implements EvidenceStore {
  events = new Map<string, RetailEvent>();
  /** Who else sees each event, and whether they may download. */
  sharedWith = new Map<string, Record<string, { download: boolean }>>();
  docs = new Map<string, EvidenceDoc>();
  /** Stored bytes by blob name and where (evidence or quarantine). */
  blobs = new Map<string, { sha256: string; size: number }>();
  chain = new Map<string, AuditEntry[]>();
  audited: { orgId: string; entry: AuditOf }[] = [];
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = (caller: Caller, action: Action, target: { type: string; id: string }) => this.table.check(caller, action, `${target.type}:${target.id}`);
  readEvent = (retailerId: string, eventId: string): Promise<VersionedEvent | undefined> => {
    const event = this.events.get(eventId);
    return Promise.resolve(event?.retailerId === retailerId ? { event: structuredClone(event), etag: '"1"', purging: false, storeJurisdiction: 'NZ' } : undefined);
  };
  /** As event-steps' visibleEvent: the retailer's event the caller may see, else 404 (its refusal is recorded there, tested against the emulators). */
  visibleEvent = async (caller: Caller, retailerId: string, eventId: string): Promise<VersionedEvent> => {
    const found = await this.readEvent(retailerId, eventId);
    assertCanSeeOwnEvent(caller.principal, found?.event);
    return found!;
  };
  readEvidenceDoc = (retailerId: string, id: string) => Promise.resolve(this.docs.get(id)?.orgId === retailerId ? structuredClone(this.docs.get(id)) : undefined);
  findEvidenceAnywhere = (id: string) => Promise.resolve(structuredClone(this.docs.get(id)));
  loadVisibleEvent = (caller: Caller, eventId: string): Promise<VisibleEvent> => {
    const event = this.events.get(eventId);
    const org = caller.principal.orgId!;
    const shared = this.sharedWith.get(eventId)?.[org];
    if (!event || (event.retailerId !== org && !shared)) return Promise.reject(new NotFoundError());
    const owner = event.retailerId === org;
    return Promise.resolve({ event: structuredClone(event), etag: '"1"', purging: false, storeJurisdiction: 'NZ', access: { relation: owner ? 'owner' : ORG_TYPES[org] === 'agency' ? 'police' : 'partner', download: owner || shared!.download, message: true, write: owner } });
  };
  insertEvidenceDoc = (doc: EvidenceDoc, entry: OutboxEntry) => {
    if (this.docs.has(doc.id)) return Promise.resolve(false);
    this.docs.set(doc.id, structuredClone(doc));
    this.append(doc.orgId, entry.draft.action, doc.id);
    return Promise.resolve(true);
  };
  settleFreshAudit = () => Promise.resolve();
  settled: string[] = [];
  settleOverdueAudit = (_retailerId: string, key: string) => {
    this.settled.push(key);
    return Promise.resolve();
  };
  uploadUrl = (blobName: string, expiresOn: Date) => Promise.resolve(`https://blob.test/upload/${blobName}?se=${expiresOn.toISOString()}`);
  readUrl = (blobName: string, expiresOn: Date, contentType: string, fileName: string) => Promise.resolve(`https://blob.test/evidence/${blobName}?se=${expiresOn.toISOString()}&type=${contentType}&name=${fileName}`);
  hashBlob = (where: 'evidence' | 'quarantine', blobName: string) => {
    const found = this.blobs.get(`${where}/${blobName}`);
    return found ? Promise.resolve(found) : Promise.reject(Object.assign(new Error('BlobNotFound'), { statusCode: 404 }));
  };
  readEntriesAbout = async function* (this: Records, retailerId: string, target: { type: string; id: string }) {
    for (const e of this.chain.get(retailerId) ?? []) if (e.target.type === target.type && e.target.id === target.id) yield await Promise.resolve(e);
  };
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    this.append(orgId, entry.action, entry.target.id);
    return Promise.resolve();
  };
  limits = () => DEFAULT_LIMITS;

  private append(orgId: string, action: string, id: string): void {
    const chain = this.chain.get(orgId) ?? [];
    chain.push(sealEntry({ actor: { sub: 'u', org: orgId, roles: [] }, action, target: { type: 'evidence', id }, outcome: 'success', requestId: 'r' }, chain.length + 1, chain.at(-1)?.hash ?? GENESIS_HASH, new Date('2026-11-01T00:00:00Z')));
    this.chain.set(orgId, chain);
  }

  event(id: string, retailerId: string): void {
    this.events.set(id, { id, retailerId, storeId: 's1', sensitive: false, type: 'theft', occurredAt: '2026-11-01T10:00:00Z', people: [], vehicles: [], products: [] } as unknown as RetailEvent);
  }

  /** What processing leaves: the item ready with the hash of its bytes, the bytes in the evidence container. */
  processed(id: string): void {
    const doc = this.docs.get(id)!;
    this.docs.set(id, { ...doc, status: 'ready', sha256: SHA, size: 2048, mediaType: 'image/jpeg', processedAt: '2026-11-01T10:05:00Z' });
    this.blobs.set(`evidence/${doc.orgId}/${id}`, { sha256: SHA, size: 2048 });
  }
}

const reporter = callerAs('shop', 'Reporter');
const investigator = callerAs('shop', 'Investigator');
const officer = callerAs('police', 'PoliceOfficer');
const partner = callerAs('partner', 'Investigator');
const now = new Date('2026-11-01T10:00:00Z');
const photo = { fileName: 'till.jpg', contentType: 'image/jpeg', size: 2048, kind: 'image' as const };

function world() {
  const records = new Records();
  records.event('e1', 'shop');
  records.event('e9', 'other');
  records.sharedWith.set('e1', { police: { download: true }, partner: { download: false } });
  return { records, ...evidenceUseCases(records) };
}

describe('evidence over records in memory', () => {
  it('records a pending item with its entry and hands out a create-only URL for fifteen minutes', async () => {
    const { records, createEvidence } = world();
    const created = await createEvidence(reporter, 'e1', photo, now);
    expect(created.expiresAt).toBe(new Date(now.getTime() + UPLOAD_URL_TTL_MS).toISOString());
    expect(created.uploadUrl).toBe(`https://blob.test/upload/shop/${created.evidenceId}?se=${created.expiresAt}`);
    expect(records.docs.get(created.evidenceId)).toMatchObject({ orgId: 'shop', eventId: 'e1', status: 'pending', declared: { contentType: 'image/jpeg', size: 2048, sha256: null } });
    expect(records.chain.get('shop')!.map((e) => e.action)).toEqual(['evidence.create']);
  });

  it('an Idempotency-Key retry that takes over from an attempt that died after writing gets its item, not a second one', async () => {
    const { records, createEvidence } = world();
    const first = await createEvidence(reporter, 'e1', photo, now, 'claimed-id-1');
    expect(first.evidenceId).toBe('claimed-id-1');
    const later = new Date(now.getTime() + 60_000);
    const again = await createEvidence(reporter, 'e1', photo, later, 'claimed-id-1');
    expect(again).toEqual(first);
    expect([...records.docs.keys()]).toEqual(['claimed-id-1']);
    // The first attempt's entry, if it was left in the outbox, is appended: not a second one.
    expect(records.settled).toEqual(['evidence.create@claimed-id-1']);
    expect(records.chain.get('shop')!.map((e) => e.action)).toEqual(['evidence.create']);
  });

  it('a takeover while the first attempt is still running: the first writes between the check and the insert, the retry answers with its item, no second entry', async () => {
    const { records, createEvidence } = world();
    const read = records.readEvidenceDoc;
    let first: Promise<unknown> | undefined;
    // The retry's check finds nothing; the first attempt then writes before the retry's insert.
    records.readEvidenceDoc = async (retailerId, id) => {
      records.readEvidenceDoc = read;
      const seen = await read(retailerId, id);
      first = createEvidence(reporter, 'e1', photo, now, 'claimed-id-2');
      await first;
      return seen;
    };
    const again = await createEvidence(reporter, 'e1', photo, new Date(now.getTime() + 11_000), 'claimed-id-2');
    expect(again.expiresAt).toBe(new Date(now.getTime() + UPLOAD_URL_TTL_MS).toISOString());
    expect([...records.docs.keys()]).toEqual(['claimed-id-2']);
    expect(records.chain.get('shop')!.map((e) => e.action)).toEqual(['evidence.create']);
    expect(records.settled).toEqual(['evidence.create@claimed-id-2']);
  });

  it('refuses a declaration that must not be uploaded (422) before anything is written', async () => {
    const { records, createEvidence } = world();
    await expect(createEvidence(reporter, 'e1', { ...photo, contentType: 'application/zip', size: DEFAULT_LIMITS.videoBytes + 1 }, now)).rejects.toBeInstanceOf(UnprocessableError);
    await expect(createEvidence(reporter, 'e1', { ...photo, kind: 'image', contentType: 'video/mp4' }, now)).rejects.toMatchObject({ code: 'UNSUPPORTED_EVIDENCE_TYPE' });
    await expect(createEvidence(reporter, 'e1', { ...photo, size: DEFAULT_LIMITS.imageBytes + 1 }, now)).rejects.toBeInstanceOf(UnprocessableError);
    expect(records.docs.size).toBe(0);
  });

  it("another retailer's event answers 404 to a role that may create, and to one that may not, as a missing one does", async () => {
    const { createEvidence } = world();
    await expect(createEvidence(reporter, 'e9', photo, now)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createEvidence(callerAs('shop', 'Compliance'), 'e9', photo, now)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createEvidence(callerAs('shop', 'Compliance'), 'e1', photo, now)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('the police and a partner it is shared with read it; the police download it, the partner may not; each read, and the refusal, recorded in the owner\'s chain', async () => {
    const { records, createEvidence, getEvidence, evidenceContentUrl } = world();
    const { evidenceId } = await createEvidence(reporter, 'e1', photo, now);
    records.processed(evidenceId);
    expect(await getEvidence(officer, evidenceId)).toMatchObject({ id: evidenceId, status: 'ready' });
    expect(await getEvidence(callerAs('partner', 'Investigator'), evidenceId)).toMatchObject({ id: evidenceId });
    const url = await evidenceContentUrl(officer, evidenceId, now);
    expect(url).toContain(`se=${new Date(now.getTime() + DOWNLOAD_URL_TTL_MS).toISOString()}`);
    await expect(evidenceContentUrl(callerAs('partner', 'Investigator'), evidenceId, now)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.audited.map((a) => [a.orgId, a.entry.action, a.entry.outcome ?? 'success'])).toEqual([
      ['shop', 'evidence.read', 'success'],
      ['shop', 'evidence.read', 'success'],
      ['shop', 'evidence.download', 'success'],
      ['shop', 'evidence.download', 'denied'],
    ]);
    expect(records.audited[2]!.entry.details).toMatchObject({ sha256: SHA });
    expect(records.audited[3]!.entry.details).toMatchObject({ relation: 'partner', code: 'FORBIDDEN' });
  });

  it('a download of an item not processed is refused (409) and the refusal is in the chain', async () => {
    const { records, createEvidence, evidenceContentUrl } = world();
    const { evidenceId } = await createEvidence(reporter, 'e1', photo, now);
    await expect(evidenceContentUrl(investigator, evidenceId, now)).rejects.toMatchObject({ code: 'EVIDENCE_NOT_READY' });
    expect(records.audited.at(-1)!.entry).toMatchObject({ action: 'evidence.download', outcome: 'denied', details: { code: 'EVIDENCE_NOT_READY', status: 'pending' } });
  });

  it('a missing second factor is told only about evidence the caller may see; anything else stays 404', async () => {
    const { records, createEvidence, evidenceContentUrl } = world();
    const { evidenceId } = await createEvidence(reporter, 'e1', photo, now);
    records.processed(evidenceId);
    await expect(evidenceContentUrl(callerAs('shop', 'Investigator', false), evidenceId, now)).rejects.toMatchObject({ code: 'MFA_REQUIRED' });
    await expect(evidenceContentUrl(callerAs('other', 'Investigator', false), evidenceId, now)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the chain of custody lists every entry about the item and checks the stored bytes: kept, changed, gone', async () => {
    const { records, createEvidence, custodyReport, getEvidence } = world();
    const { evidenceId } = await createEvidence(reporter, 'e1', photo, now);
    records.processed(evidenceId);
    await getEvidence(investigator, evidenceId);
    const kept = await custodyReport(callerAs('shop', 'Compliance'), evidenceId, true);
    expect(kept).toMatchObject({ evidenceId, status: 'ready', sha256: SHA, verified: true });
    expect(kept.entries.map((e) => e.action)).toEqual(['evidence.create', 'evidence.read']);
    records.blobs.set(`evidence/shop/${evidenceId}`, { sha256: 'b'.repeat(64), size: 2048 });
    expect((await custodyReport(callerAs('shop', 'Compliance'), evidenceId, true)).verified).toBe(false);
    records.blobs.delete(`evidence/shop/${evidenceId}`);
    expect((await custodyReport(callerAs('shop', 'Compliance'), evidenceId, true)).verified).toBe(false);
    expect((await custodyReport(callerAs('shop', 'Compliance'), evidenceId, false)).verified).toBeNull();
    // Each report is itself in the chain.
    expect(records.audited.filter((a) => a.entry.action === 'evidence.custody').map((a) => a.entry.details)).toEqual([
      expect.objectContaining({ verify: true, verified: true, entries: 2 }),
      expect.objectContaining({ verify: true, verified: false, entries: 3 }),
      expect.objectContaining({ verify: true, verified: false, entries: 4 }),
      expect.objectContaining({ verify: false, verified: null, entries: 5 }),
    ]);
  });

  it('the chain of custody: police of an agency the event is shared with (PRODUCT §5b), not a partner, not a Reporter: the one table', async () => {
    const { records, createEvidence, custodyReport } = world();
    const { evidenceId } = await createEvidence(reporter, 'e1', photo, now);
    expect((await custodyReport(officer, evidenceId, false)).evidenceId).toBe(evidenceId);
    await expect(custodyReport(partner, evidenceId, false)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(custodyReport(reporter, evidenceId, false)).rejects.toBeInstanceOf(ForbiddenError);
    records.sharedWith.set('e1', {});
    await expect(custodyReport(officer, evidenceId, false)).rejects.toBeInstanceOf(NotFoundError);
    expect(records.table.asked.filter((a) => a.startsWith('evidence.custody'))).toHaveLength(4);
  });

  it("an officer's custody report shows another agency's entries only as 'another organisation': who, why and the case reference stay with them", async () => {
    const { records, createEvidence, custodyReport } = world();
    const { evidenceId } = await createEvidence(reporter, 'e1', photo, now);
    const chain = records.chain.get('shop')!;
    const details = { legalBasis: 'investigation', caseReference: 'OP-NIGHTJAR/2026-17' };
    chain.push(sealEntry({ actor: { sub: 'det-9', org: 'police2', roles: ['PoliceOfficer'] }, action: 'evidence.download', target: { type: 'evidence', id: evidenceId }, outcome: 'success', requestId: 'r9', details }, chain.length + 1, chain.at(-1)!.hash, now));
    const seenByOfficer = (await custodyReport(officer, evidenceId, false)).entries.find((e) => e.action === 'evidence.download')!;
    expect(seenByOfficer).toMatchObject({ actor: { sub: ANOTHER_ORGANISATION, org: ANOTHER_ORGANISATION }, details: {}, requestId: '' });
    expect(JSON.stringify(await custodyReport(officer, evidenceId, false))).not.toMatch(/NIGHTJAR|det-9|police2/);
    // The owner sees its chain as it is.
    const seenByOwner = (await custodyReport(callerAs('shop', 'Compliance'), evidenceId, false)).entries.find((e) => e.action === 'evidence.download')!;
    expect(seenByOwner).toMatchObject({ actor: { sub: 'det-9', org: 'police2' }, details });
  });
});
