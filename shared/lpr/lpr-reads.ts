import { createHash, randomUUID } from 'node:crypto';
import { normalisePlate } from '../domain/events/plates';
import { AppError, ValidationError } from '../domain/errors';
import { inStoreScope } from '../domain/events/event-rules';
import { evaluateRead, visibleCandidates, type Candidate } from '../domain/lpr/alert-rules';
import { readTimeErrors, type LprAlert, type PlateReadBatch } from '../domain/lpr/lpr-schema';
import { canonicalPlate, plateIndexId } from '../domain/lpr/plate-index';
import type { Agreement } from '../domain/sharing';
import type { RetailerSettings } from '../domain/retailer-settings';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { writeAudited, type OutboxDraft } from '../audit/audit-outbox-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getSettings, knownStore } from '../orgs/org-repository';
import { listAgreementsOf } from '../sharing/agreement-repository';
import { readPlateIndexes, type PlateIndexDoc } from './plate-index-repository';
import { saveAlerts } from './alert-repository';

/** What plate reads read and write: the repositories in the app, in-memory records in unit tests of this logic. */
export interface LprReadsStore {
  /** Refuses (audited) a caller who may not send plate reads. */
  authorize(caller: Caller): Promise<void>;
  /** The retailer's store with this id (undefined: none). */
  knownStore(retailerId: string, storeId: string): Promise<{ id: string } | undefined>;
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  listAgreementsOf(retailerId: string): Promise<Agreement[]>;
  /** The plate documents with these ids in one retailer's partition. */
  readPlateIndexes(retailerId: string, ids: readonly string[]): Promise<Map<string, PlateIndexDoc>>;
  /** The alerts' entries in the reader's outbox, in one batch; false when they were not stored. */
  writeOutbox(retailerId: string, entries: OutboxDraft[]): Promise<boolean>;
  /** Stores each alert once; when each stored before (by an earlier send of the batch) was created, by id. */
  saveAlerts(retailerId: string, alerts: readonly LprAlert[]): Promise<Map<string, string>>;
  /** Appends an entry whose alerts are stored, and clears its outbox document. */
  settleFreshAudit(retailerId: string, entry: OutboxDraft): Promise<void>;
}

const OUTBOX = 'lpr-alerts-audit-outbox' as const;
const cosmosRecords: LprReadsStore = {
  authorize: async (caller) => authorizeAudited(caller, 'lpr.read', await callerOrgType(caller), { type: 'lpr-read', id: '*' }),
  knownStore,
  getSettings,
  listAgreementsOf,
  readPlateIndexes,
  writeOutbox: async (retailerId, entries) => (await writeAudited(retailerId, [], entries.map((e) => ({ ...e, where: OUTBOX })))) !== undefined,
  saveAlerts,
  settleFreshAudit: (retailerId, entry) => settleFreshAudit(retailerId, { ...entry, where: OUTBOX }),
};

export interface ReadsOutcome {
  alerts: LprAlert[];
  reads: number;
  misses: number;
}

/** Derived from the read itself, so a retried batch stores each alert once. */
function alertId(retailerId: string, read: PlateReadBatch['reads'][number], plate: string): string {
  const h = createHash('sha256')
    .update(['lpr-alert', retailerId, read.storeId, read.cameraId, new Date(read.readAt).toISOString(), plate].join('\n'))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Beyond the schema: read times not in the future (60 s skew) nor before 2000, and stores of this retailer within the caller's `stores` claim. The whole batch or nothing. */
async function checkBatch(store: LprReadsStore, caller: Caller, retailerId: string, batch: PlateReadBatch, now: Date): Promise<void> {
  const errors = readTimeErrors(batch, now);
  if (errors.length) throw new ValidationError(errors, 'Some reads are not valid; nothing was processed.');
  // A camera system scoped to some stores (as a Reporter is, PRODUCT §1) checks plates seen there only.
  const outside = batch.reads.flatMap((r, i) => (inStoreScope(caller.principal, r.storeId) ? [] : [{ path: `reads.${i}.storeId`, message: 'The store is not in your scope.' }]));
  if (outside.length) throw new AppError('forbidden', 'STORE_OUT_OF_SCOPE', 'Some reads are from stores outside your scope; nothing was processed.', outside);
  const storeIds = [...new Set(batch.reads.map((r) => r.storeId))];
  const known = new Set((await Promise.all(storeIds.map((s) => store.knownStore(retailerId, s)))).filter((s) => s).map((s) => s!.id));
  batch.reads.forEach((r, i) => {
    if (!known.has(r.storeId)) errors.push({ path: `reads.${i}.storeId`, message: 'No such store.' });
  });
  if (errors.length) throw new ValidationError(errors, 'Some reads name unknown stores; nothing was processed.', 'UNKNOWN_STORE');
}

/**
 * A batch of plate reads from a retailer's cameras (PRODUCT §6). Per request: the settings,
 * the active agreements and the stores are read once; each distinct OCR-canonical plate is
 * looked up by id in the retailer's partition and in each active partner's (one bulk round
 * trip per 100 plates per partition; no cache, so nothing is stale). Reads that alert are
 * stored and audited; reads that do not leave no trace anywhere (store, blob, audit, logs):
 * only the counts in the answer.
 */
export function lprReads(store: LprReadsStore) {
  return async function processReads(caller: Caller, batch: PlateReadBatch, now = new Date()): Promise<ReadsOutcome> {
    await store.authorize(caller);
    const retailerId = caller.principal.orgId!;
    await checkBatch(store, caller, retailerId, batch, now);
    const [{ settings }, agreements] = await Promise.all([store.getSettings(retailerId), store.listAgreementsOf(retailerId)]);
    const partners = [...new Set(agreements.filter((a) => a.status === 'active').flatMap((a) => a.parties.filter((p) => p !== retailerId)))];

    const plates = batch.reads.map((r) => normalisePlate(r.plate));
    const ids = [...new Set(plates.map((p) => plateIndexId(canonicalPlate(p))))];
    const owners = [retailerId, ...partners];
    const indexes = await Promise.all(owners.map((owner) => store.readPlateIndexes(owner, ids)));

    const at = now.toISOString();
    const alerts: LprAlert[] = [];
    const disclosed = new Map<string, Set<string>>();
    batch.reads.forEach((read, i) => {
      const plate = plates[i]!;
      const id = plateIndexId(canonicalPlate(plate));
      const candidates: Candidate[] = owners.flatMap((owner, k) => {
        const doc = indexes[k]!.get(id);
        return doc ? visibleCandidates(retailerId, owner, doc.entries, owner !== retailerId) : [];
      });
      const decision = candidates.length ? evaluateRead(plate, candidates, settings.lprAlerts) : null;
      if (!decision) return;
      const { sources, ...shown } = decision;
      for (const s of sources) if (s.retailerId !== retailerId) disclosed.set(s.retailerId, (disclosed.get(s.retailerId) ?? new Set()).add(s.eventId));
      alerts.push({
        id: alertId(retailerId, read, plate),
        plate,
        storeId: read.storeId,
        cameraId: read.cameraId,
        readAt: new Date(read.readAt).toISOString(),
        confidence: read.confidence,
        ...shown,
        createdAt: at,
      });
    });
    // A batch sent again: each alert stored then keeps its id and when it was created; what it shows
    // is decided now, as its audit entries say (an agreement revoked since discloses nothing again).
    const created = alerts.length ? await recordAlerts(store, caller, retailerId, alerts, disclosed) : new Map<string, string>();
    return { alerts: alerts.map((a) => ({ ...a, createdAt: created.get(a.id) ?? a.createdAt })), reads: batch.reads.length, misses: batch.reads.length - alerts.length };
  };
}

export const processReads = lprReads(cosmosRecords);

/**
 * Stored, and audited in the reader's chain and, for partners' events an alert disclosed, in theirs.
 * Ids only. The entries go to the outbox first (one batch in the reader's partition, the last
 * alert's id as the proof that the alerts were stored), then the alerts (more than one batch
 * holds), then the entries are appended: a crash in between leaves them to the audit sweep.
 */
async function recordAlerts(store: LprReadsStore, caller: Caller, retailerId: string, alerts: LprAlert[], disclosed: Map<string, Set<string>>): Promise<Map<string, string>> {
  const unique = [...new Map(alerts.map((a) => [a.id, a])).values()];
  const entry = (chain: string, draft: Parameters<typeof auditDraftFor>[1]): OutboxDraft => ({
    // In the proof's shard: the entries are one batch, and the sweep finds the proof beside them.
    key: `lpr.alert:${chain}:${randomUUID()}@${unique.at(-1)!.id}`,
    chain,
    proofId: unique.at(-1)!.id,
    draft: auditDraftFor(caller, draft),
  });
  const entries = [
    entry(retailerId, {
      action: 'lpr.alert',
      target: { type: 'lpr-alert', id: '*' },
      details: {
        count: unique.length,
        alertIds: unique.map((a) => a.id),
        eventIds: [...new Set(unique.flatMap((a) => a.eventIds))],
        profileIds: [...new Set(unique.flatMap((a) => a.profileIds))],
      },
    }),
    ...[...disclosed].map(([owner, eventIds]) =>
      entry(owner, { action: 'lpr.alert', target: { type: 'event', id: '*' }, details: { relation: 'partner', count: eventIds.size, eventIds: [...eventIds] } }),
    ),
  ];
  if (!(await store.writeOutbox(retailerId, entries))) throw new Error('The alerts\' audit entries could not be stored.');
  const created = await store.saveAlerts(retailerId, unique);
  for (const e of entries) await store.settleFreshAudit(retailerId, e);
  return created;
}
