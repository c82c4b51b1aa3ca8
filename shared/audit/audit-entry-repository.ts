import { toAuditEntry, type AuditDraft, type AuditEntry } from '../domain/audit-chain';
import { createOperation, readBatch, tryBatch, upsertOperation } from '../adapters/cosmos-batch';
import { container, readIfExists } from '../adapters/cosmos-containers';
import { isConflict } from '../adapters/cosmos-errors';

/**
 * An organisation's audit chain as stored: one document per entry (id from its seq, so two
 * writers racing for a seq collide), and a head hint that saves a reader walking the chain.
 * How entries are sealed and appended is audit-log.ts's; this file only stores and reads them.
 */

/** Zero-padded so ids sort like seq; the id is what makes a racing append collide. */
export const entryId = (seq: number): string => `entry:${String(seq).padStart(12, '0')}`;
const HEAD_ID = 'head';

interface HeadDoc {
  id: typeof HEAD_ID;
  orgId: string;
  seq: number;
  hash: string;
}
type EntryDoc = AuditEntry & { id: string; orgId: string; docType: 'audit-entry' };

const entryDoc = (orgId: string, e: AuditEntry): EntryDoc => ({ ...e, id: entryId(e.seq), orgId, docType: 'audit-entry' });
const headDoc = (orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): HeadDoc => ({ id: HEAD_ID, orgId, seq: entry.seq, hash: entry.hash });

/**
 * Creates consecutive entries in one transactional batch, with the head hint after them when
 * `moveHead`; false when one of their seqs was taken (or the store refused the batch), and then,
 * in Azure, nothing was written (the local server may have written the entries before).
 */
export async function createEntries(orgId: string, entries: AuditEntry[], moveHead: boolean): Promise<boolean> {
  const operations = entries.map((e) => createOperation(entryDoc(orgId, e)));
  if (moveHead) operations.push(upsertOperation(headDoc(orgId, entries.at(-1)!)));
  return (await tryBatch('audit', orgId, operations)) !== undefined;
}

/** Creates one entry; false when its seq is taken (by another writer, or by this create whose answer was lost). */
export async function createEntry(orgId: string, entry: AuditEntry): Promise<boolean> {
  try {
    await container('audit').items.create(entryDoc(orgId, entry));
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/** The entries stored at these seqs (one round trip), undefined where absent. */
export async function readStoredEntries(orgId: string, seqs: number[]): Promise<(AuditEntry | undefined)[]> {
  return readBatch<EntryDoc>('audit', orgId, seqs.map(entryId));
}

export async function readEntry(orgId: string, seq: number): Promise<AuditEntry | undefined> {
  const resource = await readIfExists<EntryDoc>('audit', orgId, entryId(seq));
  return resource ? toAuditEntry(resource) : undefined;
}

export async function readHead(orgId: string): Promise<HeadDoc | undefined> {
  return readIfExists<HeadDoc>('audit', orgId, HEAD_ID);
}

/**
 * Records the new tail in the head hint with one blind write. Another instance may
 * overwrite it with an older seq; that only costs the next cold reader a few point reads
 * walking forward, never correctness.
 */
export async function advanceHead(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): Promise<void> {
  await container('audit').items.upsert(headDoc(orgId, entry));
}

/**
 * Whether the chain holds an entry of this action and target (and of this request, when given): a
 * query in the one partition, asked only when recovering (audit-outbox.ts, a redelivered queue
 * message), never on the hot path.
 */
export async function chainHolds(orgId: string, draft: Pick<AuditDraft, 'action' | 'target'> & { requestId?: string }): Promise<boolean> {
  const { resources } = await container('audit')
    .items.query<number>(
      {
        query: `SELECT TOP 1 VALUE c.seq FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND c.action = @action AND c.target.id = @target${draft.requestId === undefined ? '' : ' AND c.requestId = @requestId'}`,
        parameters: [
          { name: '@orgId', value: orgId },
          { name: '@action', value: draft.action },
          { name: '@target', value: draft.target.id },
          ...(draft.requestId === undefined ? [] : [{ name: '@requestId', value: draft.requestId }]),
        ],
      },
      { partitionKey: orgId },
    )
    .fetchAll();
  return resources.length > 0;
}

export interface ChainRange {
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
}

/**
 * Streams an organisation's chain in seq order, one page at a time, so memory stays
 * constant whatever the chain's length. Always filters on the partition key.
 */
export async function* readChain(orgId: string, range: ChainRange = {}, pageSize = 500): AsyncGenerator<AuditEntry> {
  const filters = ['c.orgId = @orgId', "c.docType = 'audit-entry'"];
  const parameters = [{ name: '@orgId', value: orgId }];
  if (range.from) {
    filters.push('c.at >= @from');
    parameters.push({ name: '@from', value: range.from });
  }
  if (range.to) {
    filters.push('c.at <= @to');
    parameters.push({ name: '@to', value: range.to });
  }
  const iterator = container('audit').items.query<AuditEntry>(
    { query: `SELECT * FROM c WHERE ${filters.join(' AND ')} ORDER BY c.seq ASC`, parameters },
    { partitionKey: orgId, maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const doc of resources ?? []) yield toAuditEntry(doc);
  }
}

/**
 * Every entry of an organisation's chain about one target (an evidence item's custody), in seq
 * order, streamed page by page. A query within the organisation's partition.
 */
export async function* readEntriesAbout(orgId: string, target: { type: string; id: string }, pageSize = 200): AsyncGenerator<AuditEntry> {
  const iterator = container('audit').items.query<AuditEntry>(
    {
      query:
        "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND c.target.type = @type AND c.target.id = @id ORDER BY c.seq ASC",
      parameters: [
        { name: '@orgId', value: orgId },
        { name: '@type', value: target.type },
        { name: '@id', value: target.id },
      ],
    },
    { partitionKey: orgId, maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const doc of resources ?? []) yield toAuditEntry(doc);
  }
}

/**
 * Entries about a set of people, in seq order, at most `limit` (subject access): those whose
 * target is one of `targetIds` (their profiles, events, evidence items), and those that list one
 * of `profileIds` in their details (searches, lists, link decisions, earlier exports). One query
 * in the organisation's partition; `more` tells when the limit cut it short.
 */
export async function readEntriesAboutPeople(
  orgId: string,
  targetIds: string[],
  profileIds: string[],
  limit: number,
): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const mentions = profileIds.map((_, i) => `ARRAY_CONTAINS(c.details.profileIds, @p${i})`);
  const query =
    `SELECT TOP ${limit + 1} * FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND (` +
    ['ARRAY_CONTAINS(@ids, c.target.id)', 'ARRAY_CONTAINS(@pids, c.details.subjectProfileId)', 'ARRAY_CONTAINS(@pids, c.details.candidateProfileId)', ...mentions].join(
      ' OR ',
    ) +
    ') ORDER BY c.seq ASC';
  const parameters = [
    { name: '@orgId', value: orgId },
    { name: '@ids', value: targetIds },
    { name: '@pids', value: profileIds },
    ...profileIds.map((p, i) => ({ name: `@p${i}`, value: p })),
  ];
  const { resources } = await container('audit').items.query<AuditEntry>({ query, parameters }, { partitionKey: orgId }).fetchAll();
  return { entries: resources.slice(0, limit).map(toAuditEntry), more: resources.length > limit };
}

/**
 * The entries after seq `after` up to `upto` that record a stated police purpose (transparency
 * tallies), in seq order, page by page: a query within the organisation's partition that reads
 * only what was appended since the last tally.
 */
export function readPoliceEntries(orgId: string, after: number, upto: number, pageSize = 500): AsyncGenerator<AuditEntry> {
  return entriesWhere(orgId, 'c.seq > @after AND c.seq <= @upto AND IS_DEFINED(c.details.legalBasis)', { '@after': after, '@upto': upto }, pageSize);
}

/** Entries of the organisation's chain matching `where` (over `c`), in seq order, page by page, within its partition. */
async function* entriesWhere(orgId: string, where: string, values: Record<string, string | number | string[]>, pageSize: number): AsyncGenerator<AuditEntry> {
  const iterator = container('audit').items.query<AuditEntry>(
    {
      query: `SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND ${where} ORDER BY c.seq ASC`,
      parameters: [{ name: '@orgId', value: orgId }, ...Object.entries(values).map(([name, value]) => ({ name, value }))],
    },
    { partitionKey: orgId, maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const doc of resources ?? []) yield toAuditEntry(doc);
  }
}

/**
 * The entries of some actions between two times (inclusive), in seq order, page by page: a query
 * within the organisation's partition (an agency's review of its officers' requests).
 */
export function readActionsBetween(orgId: string, actions: string[], from: string, to: string, pageSize = 500): AsyncGenerator<AuditEntry> {
  return entriesWhere(orgId, 'ARRAY_CONTAINS(@actions, c.action) AND c.at >= @from AND c.at <= @to', { '@actions': actions, '@from': from, '@to': to }, pageSize);
}
