import { randomUUID } from 'node:crypto';
import type { AuditDraft } from '../domain/audit-chain';
import { canonicalJson } from '../domain/canonical-json';
import { createOperation, deleteGrouped, tryBatch, upsertOperation, type OperationInput, type OperationResponse } from '../adapters/cosmos-batch';
import { container, deleteIfUnchanged, readIfExists, placed, inOrganisation, replaceIfUnchanged, withoutSystemProperties } from '../adapters/cosmos-containers';

/**
 * Outbox documents (see audit-outbox.ts) live beside the changes they describe, in the
 * organisation's partition of the change's own container (in a sharded one, the shard of the
 * record their key names after '@'), so they share its transactional batch.
 */
export const OUTBOX_CONTAINERS = ['audit-outbox', 'evidence-audit-outbox', 'orgs-audit-outbox', 'messages-audit-outbox', 'links-audit-outbox', 'agreements-audit-outbox', 'lpr-alerts-audit-outbox', 'subscriptions-audit-outbox', 'case-files-audit-outbox'] as const;
export type OutboxContainer = (typeof OUTBOX_CONTAINERS)[number];

export interface AuditOutboxDoc {
  id: string;
  orgId: string;
  docType: 'audit-outbox';
  draft: AuditDraft;
  /** Where it is (absent: the records container). */
  where?: OutboxContainer;
  /** The organisation whose chain gets the entry, when not the partition's (an agreement's partition is the pair). */
  chain?: string;
  /**
   * A document of the same partition whose presence proves the change was stored, when the outbox
   * document was written before the change rather than in its batch. Without it, the outbox
   * document's own presence is the proof (written in the change's transactional batch).
   */
  proofId?: string;
  /** The one call that wrote it (writeAudited): a resend of the same batch carries the same. */
  writeId?: string;
  createdAt: string;
  /** When a settler took it on (settle in audit-outbox.ts): others leave it alone for a while. */
  claimedAt?: string;
  /** Set with the claim: the change was found stored, so the entry is due even once its proof is gone. */
  proven?: boolean;
  /** Which claim it is (a settler whose claim's answer was lost finds its own). */
  claimId?: string;
}

/** What an outbox document records: the entry's key, its draft, where it goes, and the id of the document that proves the change. */
export interface OutboxEntry {
  key: string;
  draft: AuditDraft;
  where?: OutboxContainer;
  chain?: string;
  proofId?: string;
}

/** An entry as a use case hands it to a repository, which knows its outbox container. */
export type OutboxDraft = Omit<OutboxEntry, 'where'>;

/** The organisation whose chain an outbox entry goes to. */
export const chainOf = (partition: string, entry: { chain?: string }): string => entry.chain ?? partition;

const idOf = (key: string): string => `audit-outbox:${key}`;
/** The id of the outbox document of the entry with this key (for a caller that removes it with other writes). */
export const auditOutboxId = idOf;
const whereOf = (x: { where?: OutboxContainer }): OutboxContainer => x.where ?? 'audit-outbox';
const docOf = (orgId: string, e: OutboxEntry, now: Date, writeId?: string): AuditOutboxDoc => ({
  id: idOf(e.key),
  orgId,
  docType: 'audit-outbox',
  draft: e.draft,
  ...(e.where ? { where: e.where } : {}),
  ...(e.chain ? { chain: e.chain } : {}),
  ...(e.proofId ? { proofId: e.proofId } : {}),
  ...(writeId ? { writeId } : {}),
  createdAt: now.toISOString(),
});

/** For the change's own batch. */
export function auditOutboxOperation(orgId: string, entry: OutboxEntry, now: Date, writeId?: string): OperationInput {
  return upsertOperation(docOf(orgId, entry, now, writeId));
}

/**
 * A change's operations and its audit entry's outbox document, in one transactional batch in the
 * outbox container's partition `orgId`: the results of the change's operations, or undefined when
 * the store refused one (409, 412, 404: nothing written, in Azure).
 */
export async function writeAudited(
  orgId: string,
  operations: OperationInput[],
  entry: (OutboxEntry & { where: OutboxContainer }) | (OutboxEntry & { where: OutboxContainer })[],
  now = new Date(),
): Promise<OperationResponse[] | undefined> {
  const entries = Array.isArray(entry) ? entry : [entry];
  const where = entries[0]!.where;
  const writeId = randomUUID();
  const results = await tryBatch(where, orgId, [...operations, ...entries.map((e) => auditOutboxOperation(orgId, e, now, writeId))]);
  if (results) return results.slice(0, operations.length);
  // Refused (409, 412, 404). The store may be refusing this very batch sent again: the HTTP client
  // resends a write whose connection dropped, and the first send may have been applied. Its
  // outbox document, with this call's write id, is then there: the change is this call's, done.
  if ((await readAuditOutbox(orgId, entries[0]!.key, where))?.writeId !== writeId) return undefined;
  return Promise.all(operations.map((op) => readBack(where, orgId, op)));
}

/**
 * What an applied operation answered, read back (a delete: nothing). When the document has changed
 * since (another write came between), no ETag: the caller must not hand out another version's.
 */
async function readBack(where: OutboxContainer, orgId: string, op: OperationInput): Promise<OperationResponse> {
  if (op.operationType === 'Delete') return { statusCode: 204, requestCharge: 0 } as OperationResponse;
  const body = (op as unknown as { resourceBody: Record<string, unknown> & { id: string } }).resourceBody;
  const doc = await readIfExists<Record<string, unknown>>(where, orgId, body.id);
  const same = doc !== undefined && canonicalJson(withoutSystemProperties(doc)) === canonicalJson(withoutSystemProperties(body));
  return { statusCode: 200, requestCharge: 0, ...(same ? { eTag: doc._etag } : {}), resourceBody: doc } as OperationResponse;
}

/**
 * Creates a new document with its audit entry's outbox document, in one batch: true when this
 * call wrote it (its answer lost included: writeAudited reads it back). False when a document of
 * its id was there already: for an id fixed by an Idempotency-Key, the attempt this one took over
 * from. Its batch held the outbox document, and nothing of this call was written.
 */
export async function createAudited(orgId: string, doc: { id: string }, entry: OutboxEntry & { where: OutboxContainer }, now = new Date()): Promise<boolean> {
  if (await writeAudited(orgId, [createOperation(doc)], entry, now)) return true;
  if (await readIfExists<object>(entry.where, orgId, doc.id)) return false;
  throw new Error(`${entry.where.replace(/-audit-outbox$/, '')} ${doc.id} could not be created.`);
}

/** The same on its own, before a change written without a batch. */
export async function writeAuditOutbox(orgId: string, entry: OutboxEntry, now: Date): Promise<void> {
  await container(whereOf(entry)).items.upsert(placed(whereOf(entry), docOf(orgId, entry, now)));
}

/** Whether the change an outbox document describes was stored: its proof document exists. */
export async function changeStored(doc: AuditOutboxDoc): Promise<boolean> {
  return !doc.proofId || (await readIfExists<object>(whereOf(doc), doc.orgId, doc.proofId)) !== undefined;
}

export async function readAuditOutbox(orgId: string, key: string, where: OutboxContainer = 'audit-outbox'): Promise<AuditOutboxDoc | undefined> {
  const doc = await readIfExists<AuditOutboxDoc>(where, orgId, idOf(key));
  return doc?.docType === 'audit-outbox' ? doc : undefined;
}

/**
 * Removes an outbox document whose entry is in the chain (one already gone is fine). Requests of
 * one retailer finishing together clear theirs in one round trip.
 */
export function clearAuditOutbox(orgId: string, entry: { key: string; where?: OutboxContainer } | AuditOutboxDoc): Promise<void> {
  const id = 'key' in entry ? idOf(entry.key) : entry.id;
  return deleteGrouped(whereOf(entry), orgId, id);
}

/**
 * Marks the version read as taken on by one settler (false: another changed or removed it first).
 * A claim whose answer was lost is recognised as this settler's own by its claim id.
 */
export async function claimAuditOutbox(doc: AuditOutboxDoc, now: Date): Promise<boolean> {
  const claimId = randomUUID();
  if (await replaceIfUnchanged(whereOf(doc), doc, { ...doc, claimedAt: now.toISOString(), proven: true, claimId })) return true;
  return (await readIfExists<AuditOutboxDoc>(whereOf(doc), doc.orgId, doc.id))?.claimId === claimId;
}

/**
 * Records on an outbox document, if there is one, that its change was stored, so that its entry
 * is appended even once the proof goes; the entry itself is left to whoever settles it (the request
 * that wrote it, which may still be running, or the sweep). Over the version read: a settler's
 * claim says as much already.
 */
export async function markOutboxProven(orgId: string, key: string, where: OutboxContainer = 'audit-outbox'): Promise<void> {
  const doc = await readAuditOutbox(orgId, key, where);
  if (doc && !doc.proven) await replaceIfUnchanged(where, doc, { ...doc, proven: true });
}

/** Removes the version read of an outbox document; false when it changed (a settler claimed it) or went since. */
export function dropAuditOutbox(doc: AuditOutboxDoc): Promise<boolean> {
  return deleteIfUnchanged(whereOf(doc), doc);
}

/** Up to `max` outbox documents (per container) written before `cutoff`: of one organisation, or of any (cross-partition queries, for the sweep). */
export async function overdueAuditOutbox(cutoff: Date, max: number, orgId?: string): Promise<AuditOutboxDoc[]> {
  const found: AuditOutboxDoc[] = [];
  for (const where of OUTBOX_CONTAINERS) {
    const { resources } = await container(where)
      .items.query<AuditOutboxDoc>(
        {
          query: `SELECT TOP ${Math.trunc(max)} * FROM c WHERE c.docType = 'audit-outbox' AND c.createdAt < @cutoff${orgId ? ' AND c.orgId = @orgId' : ''}`,
          parameters: [{ name: '@cutoff', value: cutoff.toISOString() }, ...(orgId ? [{ name: '@orgId', value: orgId }] : [])],
        },
        orgId ? inOrganisation(where, orgId) : {},
      )
      .fetchAll();
    found.push(...resources.map((d) => ({ ...d, where })));
  }
  return found;
}
