import { toAuditEntry, type AuditDraft, type AuditEntry } from '../domain/audit-chain';
import { bySegment, firstSeqOf, segmentOf, segmentsBetween } from '../domain/audit-segments';
import { createOperation, readBatch, tryBatch, upsertOperation } from '../adapters/cosmos-batch';
import { container, readIfExists } from '../adapters/cosmos-containers';
import { isConflict } from '../adapters/cosmos-errors';
import { settings } from '../config/settings';

/**
 * An organisation's audit chain as stored: one document per entry (id from its seq, so two
 * writers racing for a seq collide), in segments of AUDIT_SEGMENT_ENTRIES consecutive seqs, each
 * segment its own logical partition "<orgId>/<segment>" (docs/decisions/0004), so the chain
 * grows without any partition filling. Each segment has a head hint; a pointer in partition
 * "<orgId>" names the latest segment. How entries are sealed and appended is audit-log.ts's;
 * this file only stores and reads them.
 */

/** Zero-padded so ids sort like seq; the id is what makes a racing append collide. */
export const entryId = (seq: number): string => `entry:${String(seq).padStart(12, '0')}`;
const HEAD_ID = 'head';
const POINTER_ID = 'segments';

const segmentSize = (): number => settings().AUDIT_SEGMENT_ENTRIES;
const partitionOf = (orgId: string, segment: number): string => `${orgId}/${segment}`;

/** Where entry `seq` of a chain is stored: for tools and tests that reach the store directly. */
export function entryLocation(orgId: string, seq: number): { partitionKey: string; id: string } {
  return { partitionKey: partitionOf(orgId, segmentOf(seq, segmentSize())), id: entryId(seq) };
}

/** Where the head hint of the segment holding `seq` is stored. */
export function headLocation(orgId: string, seq: number): { partitionKey: string; id: string } {
  return { partitionKey: partitionOf(orgId, segmentOf(seq, segmentSize())), id: HEAD_ID };
}

interface HeadDoc {
  id: typeof HEAD_ID;
  orgId: string;
  partition: string;
  seq: number;
  hash: string;
}
interface PointerDoc {
  id: typeof POINTER_ID;
  orgId: string;
  partition: string;
  latest: number;
}
type EntryDoc = AuditEntry & { id: string; orgId: string; partition: string; segment: number; docType: 'audit-entry' };

function entryDoc(orgId: string, e: AuditEntry): EntryDoc {
  const segment = segmentOf(e.seq, segmentSize());
  return { ...e, id: entryId(e.seq), orgId, partition: partitionOf(orgId, segment), segment, docType: 'audit-entry' };
}
function headDoc(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): HeadDoc {
  return { id: HEAD_ID, orgId, partition: headLocation(orgId, entry.seq).partitionKey, seq: entry.seq, hash: entry.hash };
}

/**
 * Creates consecutive entries, one transactional batch per segment they fall in (one, unless
 * they cross a boundary), with the head hint after them when `moveHead`; false when one of
 * their seqs was taken (or the store refused a batch), and then, in Azure, nothing of that
 * batch was written (the local server may have written the entries before; an earlier
 * segment's batch stays written, which the caller finds when it reads them back).
 */
export async function createEntries(orgId: string, entries: AuditEntry[], moveHead: boolean): Promise<boolean> {
  const size = segmentSize();
  const runs = bySegment(entries, (e) => e.seq, size);
  for (const [i, run] of runs.entries()) {
    const operations = run.items.map((e) => createOperation(entryDoc(orgId, e)));
    if (moveHead && i === runs.length - 1) operations.push(upsertOperation(headDoc(orgId, run.items.at(-1)!)));
    if ((await tryBatch('audit', partitionOf(orgId, run.segment), operations)) === undefined) return false;
    await pointAtNewSegment(orgId, run.items[0]!.seq);
  }
  return true;
}

/** Creates one entry; false when its seq is taken (by another writer, or by this create whose answer was lost). */
export async function createEntry(orgId: string, entry: AuditEntry): Promise<boolean> {
  try {
    await container('audit').items.create(entryDoc(orgId, entry));
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
  await pointAtNewSegment(orgId, entry.seq);
  return true;
}

/**
 * After the first entry of a segment is written, the pointer names that segment (one blind write
 * per segment). A reader also probes past the pointer, so a pointer that lags (this write lost
 * in a crash) costs it a point read, never an entry.
 */
async function pointAtNewSegment(orgId: string, seq: number): Promise<void> {
  const size = segmentSize();
  const segment = segmentOf(seq, size);
  if (segment === 0 || seq !== firstSeqOf(segment, size)) return;
  const pointer: PointerDoc = { id: POINTER_ID, orgId, partition: orgId, latest: segment };
  await container('audit').items.upsert(pointer);
}

/** The entries stored at these seqs (one round trip per segment they fall in), undefined where absent. */
export async function readStoredEntries(orgId: string, seqs: number[]): Promise<(AuditEntry | undefined)[]> {
  const runs = bySegment(seqs, (s) => s, segmentSize());
  const pages = await Promise.all(runs.map((run) => readBatch<EntryDoc>('audit', partitionOf(orgId, run.segment), run.items.map(entryId))));
  return pages.flat().map((doc) => (doc ? toAuditEntry(doc) : undefined));
}

export async function readEntry(orgId: string, seq: number): Promise<AuditEntry | undefined> {
  const { partitionKey, id } = entryLocation(orgId, seq);
  const resource = await readIfExists<EntryDoc>('audit', partitionKey, id);
  return resource ? toAuditEntry(resource) : undefined;
}

/**
 * The latest segment that has entries: the pointer's, or a later one whose first entry exists
 * (the pointer lags by at most a crash). 0 for a chain that has none yet.
 */
async function latestSegment(orgId: string): Promise<number> {
  const size = segmentSize();
  let segment = (await readIfExists<PointerDoc>('audit', orgId, POINTER_ID))?.latest ?? 0;
  while (await readEntry(orgId, firstSeqOf(segment + 1, size))) segment += 1;
  return segment;
}

/**
 * A recent entry of the chain, from which a reader walks forward to the end: the latest
 * segment's head hint, or that segment's first entry while it has no hint yet.
 */
export async function readHead(orgId: string): Promise<{ seq: number; hash: string } | undefined> {
  const size = segmentSize();
  for (let segment = await latestSegment(orgId); segment >= 0; segment -= 1) {
    const head = await readIfExists<HeadDoc>('audit', partitionOf(orgId, segment), HEAD_ID);
    if (head) return { seq: head.seq, hash: head.hash };
    const first = await readEntry(orgId, firstSeqOf(segment, size));
    if (first) return { seq: first.seq, hash: first.hash };
  }
  return undefined;
}

/**
 * Records the new tail in its segment's head hint with one blind write. Another instance may
 * overwrite it with an older seq; that only costs the next cold reader a few point reads
 * walking forward, never correctness.
 */
export async function advanceHead(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): Promise<void> {
  await container('audit').items.upsert(headDoc(orgId, entry));
}

/** The segments of a chain, oldest first. */
async function segmentsOf(orgId: string): Promise<number[]> {
  const latest = await latestSegment(orgId);
  return Array.from({ length: latest + 1 }, (_, i) => i);
}

/**
 * Whether the chain holds an entry of this action and target (and of this request, when given):
 * a query per segment, newest first, asked only when recovering (audit-outbox.ts, a redelivered
 * queue message), never on the hot path.
 */
export async function chainHolds(orgId: string, draft: Pick<AuditDraft, 'action' | 'target'> & { requestId?: string }): Promise<boolean> {
  const values = { '@action': draft.action, '@target': draft.target.id, ...(draft.requestId === undefined ? {} : { '@requestId': draft.requestId }) };
  const where = `c.action = @action AND c.target.id = @target${draft.requestId === undefined ? '' : ' AND c.requestId = @requestId'}`;
  const segments = (await segmentsOf(orgId)).reverse();
  for await (const _ of entriesWhere(orgId, where, values, 1, segments)) return true;
  return false;
}

export interface ChainRange {
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
}

/**
 * Streams an organisation's chain in seq order, one page at a time, so memory stays
 * constant whatever the chain's length.
 */
export function readChain(orgId: string, range: ChainRange = {}, pageSize = 500): AsyncGenerator<AuditEntry> {
  const filters = ['true'];
  const values: Record<string, string> = {};
  if (range.from) {
    filters.push('c.at >= @from');
    values['@from'] = range.from;
  }
  if (range.to) {
    filters.push('c.at <= @to');
    values['@to'] = range.to;
  }
  return entriesWhere(orgId, filters.join(' AND '), values, pageSize);
}

/** Every entry of an organisation's chain about one target (an evidence item's custody), in seq order, streamed page by page. */
export function readEntriesAbout(orgId: string, target: { type: string; id: string }, pageSize = 200): AsyncGenerator<AuditEntry> {
  return entriesWhere(orgId, 'c.target.type = @type AND c.target.id = @id', { '@type': target.type, '@id': target.id }, pageSize);
}

/**
 * Entries about a set of people, in seq order, at most `limit` (subject access): those whose
 * target is one of `targetIds` (their profiles, events, evidence items), and those that list one
 * of `profileIds` in their details (searches, lists, link decisions, earlier exports). `more`
 * tells when the limit cut it short.
 */
export async function readEntriesAboutPeople(
  orgId: string,
  targetIds: string[],
  profileIds: string[],
  limit: number,
): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const mentions = profileIds.map((_, i) => `ARRAY_CONTAINS(c.details.profileIds, @p${i})`);
  const where =
    '(' +
    ['ARRAY_CONTAINS(@ids, c.target.id)', 'ARRAY_CONTAINS(@pids, c.details.subjectProfileId)', 'ARRAY_CONTAINS(@pids, c.details.candidateProfileId)', ...mentions].join(' OR ') +
    ')';
  const values = { '@ids': targetIds, '@pids': profileIds, ...Object.fromEntries(profileIds.map((p, i) => [`@p${i}`, p])) };
  const entries: AuditEntry[] = [];
  for await (const entry of entriesWhere(orgId, where, values, limit + 1)) {
    if (entries.length === limit) return { entries, more: true };
    entries.push(entry);
  }
  return { entries, more: false };
}

/**
 * The entries after seq `after` up to `upto` that record a stated police purpose (transparency
 * tallies), in seq order, page by page: only the segments that hold what was appended since the
 * last tally.
 */
export function readPoliceEntries(orgId: string, after: number, upto: number, pageSize = 500): AsyncGenerator<AuditEntry> {
  const segments = segmentsBetween(after + 1, upto, segmentSize());
  return entriesWhere(orgId, 'c.seq > @after AND c.seq <= @upto AND IS_DEFINED(c.details.legalBasis)', { '@after': after, '@upto': upto }, pageSize, segments);
}

/**
 * The entries of some actions between two times (inclusive), in seq order, page by page (an
 * agency's review of its officers' requests).
 */
export function readActionsBetween(orgId: string, actions: string[], from: string, to: string, pageSize = 500): AsyncGenerator<AuditEntry> {
  return entriesWhere(orgId, 'ARRAY_CONTAINS(@actions, c.action) AND c.at >= @from AND c.at <= @to', { '@actions': actions, '@from': from, '@to': to }, pageSize);
}

/**
 * Entries of the organisation's chain matching `where` (over `c`), in seq order, page by page:
 * one query within each segment's partition, the segments in the order given (all, oldest
 * first, by default), so memory stays one page whatever the chain's length.
 */
async function* entriesWhere(
  orgId: string,
  where: string,
  values: Record<string, string | number | string[]>,
  pageSize: number,
  segments?: number[],
): AsyncGenerator<AuditEntry> {
  for (const segment of segments ?? (await segmentsOf(orgId))) {
    const partition = partitionOf(orgId, segment);
    const iterator = container('audit').items.query<AuditEntry>(
      {
        query: `SELECT * FROM c WHERE c.partition = @partition AND c.docType = 'audit-entry' AND ${where} ORDER BY c.seq ASC`,
        parameters: [{ name: '@partition', value: partition }, ...Object.entries(values).map(([name, value]) => ({ name, value }))],
      },
      { partitionKey: partition, maxItemCount: pageSize },
    );
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      for (const doc of resources ?? []) yield toAuditEntry(doc);
    }
  }
}
