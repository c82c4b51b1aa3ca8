import { toAuditEntry, type AuditDraft, type AuditEntry } from '../domain/audit-chain';
import { bySegment, firstSeqOf, segmentOf, segmentsBetween } from '../domain/audit-segments';
import { ServiceUnavailableError } from '../domain/errors';
import { batchOutcome, createOperation, deleteOperation, MAX_BATCH_OPERATIONS, readBatch, upsertOperation, type OperationInput, type OperationResponse } from '../adapters/cosmos-batch';
import { container, readIfExists, type ContainerName } from '../adapters/cosmos-containers';
import { isConflict } from '../adapters/cosmos-errors';
import { settings } from '../config/settings';
import { readChainLayout, type ChainLayout } from './audit-registry-repository';

/**
 * An organisation's audit chain as stored: one document per entry (id from its seq, so two
 * writers racing for a seq collide), in segments of AUDIT_SEGMENT_ENTRIES consecutive seqs, each
 * segment its own logical partition "<orgId>/<segment>" (docs/decisions/0004), so the chain
 * grows without any partition filling. Each segment has a head hint; a pointer in partition
 * "<orgId>" names the latest segment. A chain begun before segments stays in its organisation's
 * one partition of the old container until the migration job copies it (audit-migration.ts).
 * How entries are sealed and appended is audit-log.ts's; this file only stores and reads them.
 */

/** Zero-padded so ids sort like seq; the id is what makes a racing append collide. */
export const entryId = (seq: number): string => `entry:${String(seq).padStart(12, '0')}`;
const HEAD_ID = 'head';
const POINTER_ID = 'segments';

/** Where one chain's documents are: which container, and which partition holds which seqs. */
export interface ChainPlace {
  readonly orgId: string;
  readonly container: ContainerName;
  readonly segmented: boolean;
  /** The property that holds the partition key. */
  readonly keyPath: 'partition' | 'orgId';
  segmentOf(seq: number): number;
  firstSeq(segment: number): number;
  partition(segment: number): string;
}

/** Segments of the `audit-chain` container: every chain begun since issue 26. */
export function segmentedPlace(orgId: string): ChainPlace {
  const size = settings().AUDIT_SEGMENT_ENTRIES;
  return {
    orgId,
    container: 'audit',
    segmented: true,
    keyPath: 'partition',
    segmentOf: (seq) => segmentOf(seq, size),
    firstSeq: (segment) => firstSeqOf(segment, size),
    partition: (segment) => `${orgId}/${segment}`,
  };
}

/** The organisation's one partition of the old container: a chain not migrated yet. */
export function unsegmentedPlace(orgId: string): ChainPlace {
  return { orgId, container: 'audit-unsegmented', segmented: false, keyPath: 'orgId', segmentOf: () => 0, firstSeq: () => 1, partition: () => orgId };
}

/** Layouts this process has seen; a segmented chain stays segmented, an unsegmented one is read again after a moment. */
const layouts = new Map<string, { layout: ChainLayout; until: number }>();
const LAYOUT_FRESH_MS = 2_000;

async function layoutOf(orgId: string): Promise<ChainLayout> {
  const known = layouts.get(orgId);
  if (known && (known.layout === 'segmented' || known.until > Date.now())) return known.layout;
  const layout = await readChainLayout(orgId);
  layouts.set(orgId, { layout, until: Date.now() + LAYOUT_FRESH_MS });
  return layout;
}

/** Where the chain is read from and appended to: the old place until its migration is complete. */
async function placeOf(orgId: string): Promise<ChainPlace> {
  return (await layoutOf(orgId)) === 'segmented' ? segmentedPlace(orgId) : unsegmentedPlace(orgId);
}

/**
 * The fence of an unsegmented chain: the migration creates this document in the chain's old
 * partition before its last copy, and every write there carries a create and a delete of it in
 * its transactional batch, so a write that arrives after the fence closed fails as a whole,
 * however late it arrives (a retried request, a slow store). Nothing is then written to the old
 * place that the copy could miss.
 */
const FENCE_ID = 'fence';
const fenceCheck = (orgId: string): OperationInput[] => [createOperation({ id: FENCE_ID, orgId }), deleteOperation(FENCE_ID)];

/** Closes an unsegmented chain's old place to writes for good (the migration's last step before its final copy). */
export async function closeFence(orgId: string): Promise<void> {
  await container('audit-unsegmented').items.upsert({ id: FENCE_ID, orgId, closedAt: new Date().toISOString() });
}

/** Thrown by a write that met the fence: the chain is moving; the caller's request is retried (503) and finds the new place. */
function fenced(orgId: string): never {
  layouts.delete(orgId);
  throw new ServiceUnavailableError('The audit chain is being moved to its new storage; retry in a few seconds.', 2);
}

/**
 * Writes operations to one partition of a place in one transactional batch: the fence checked
 * first where the place is the old one. Undefined when an operation failed (a seq taken).
 */
async function writeBatch(place: ChainPlace, partition: string, operations: OperationInput[]): Promise<OperationResponse[] | undefined> {
  if (place.segmented) return batchOutcome(place.container, partition, operations);
  const results = await batchOutcome(place.container, partition, [...fenceCheck(place.orgId), ...operations]);
  if (results?.[0]?.statusCode === 409) fenced(place.orgId);
  return results?.slice(2);
}

/** Where entry `seq` of a (segmented) chain is stored: for tools and tests that reach the store directly. */
export function entryLocation(orgId: string, seq: number): { partitionKey: string; id: string } {
  const place = segmentedPlace(orgId);
  return { partitionKey: place.partition(place.segmentOf(seq)), id: entryId(seq) };
}

/** Where the head hint of the segment holding `seq` is stored. */
export function headLocation(orgId: string, seq: number): { partitionKey: string; id: string } {
  return { ...entryLocation(orgId, seq), id: HEAD_ID };
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

function entryDoc(place: ChainPlace, e: AuditEntry): EntryDoc {
  const segment = place.segmentOf(e.seq);
  return { ...e, id: entryId(e.seq), orgId: place.orgId, partition: place.partition(segment), segment, docType: 'audit-entry' };
}
function headDoc(place: ChainPlace, entry: Pick<AuditEntry, 'seq' | 'hash'>): HeadDoc {
  return { id: HEAD_ID, orgId: place.orgId, partition: place.partition(place.segmentOf(entry.seq)), seq: entry.seq, hash: entry.hash };
}

/**
 * Creates consecutive entries, one transactional batch per segment they fall in (one, unless
 * they cross a boundary), with the head hint after them when `moveHead`; false when one of
 * their seqs was taken (or the store refused a batch), and then, in Azure, nothing of that
 * batch was written (the local server may have written the entries before; an earlier
 * segment's batch stays written, which the caller finds when it reads them back).
 */
export async function createEntries(orgId: string, entries: AuditEntry[], moveHead: boolean): Promise<boolean> {
  return createEntriesAt(await placeOf(orgId), entries, moveHead);
}

/** The same, at a given place (the migration job writes the segments of a chain still read from the old place). */
export async function createEntriesAt(place: ChainPlace, entries: AuditEntry[], moveHead: boolean): Promise<boolean> {
  // A batch holds 100 operations: the head hint's, and in the old place the fence's two, leave room for the entries.
  const room = MAX_BATCH_OPERATIONS - 1 - (place.segmented ? 0 : 2);
  const runs = bySegment(entries, (e) => place.segmentOf(e.seq)).flatMap((run) =>
    Array.from({ length: Math.ceil(run.items.length / room) }, (_, k) => ({ segment: run.segment, items: run.items.slice(k * room, (k + 1) * room) })),
  );
  for (const [i, run] of runs.entries()) {
    const operations = run.items.map((e) => createOperation(entryDoc(place, e)));
    if (moveHead && i === runs.length - 1) operations.push(upsertOperation(headDoc(place, run.items.at(-1)!)));
    const results = await writeBatch(place, place.partition(run.segment), operations);
    if (!results?.every((r) => r.statusCode < 300)) return false;
    await pointAtNewSegment(place, run.items[0]!.seq);
  }
  return true;
}

/** Creates one entry; false when its seq is taken (by another writer, or by this create whose answer was lost). */
export async function createEntry(orgId: string, entry: AuditEntry): Promise<boolean> {
  const place = await placeOf(orgId);
  if (!place.segmented) return createEntriesAt(place, [entry], false);
  try {
    await container(place.container).items.create(entryDoc(place, entry));
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
  await pointAtNewSegment(place, entry.seq);
  return true;
}

/**
 * After the first entry of a segment is written, the pointer names that segment (one blind write
 * per segment). A reader also probes past the pointer, so a pointer that lags (this write lost
 * in a crash) costs it a point read, never an entry.
 */
async function pointAtNewSegment(place: ChainPlace, seq: number): Promise<void> {
  const segment = place.segmentOf(seq);
  if (segment === 0 || place.segmentOf(seq - 1) === segment) return;
  await pointAt(place, segment);
}

/** Names `segment` as the chain's latest (the migration also calls it for the segment it copied last, whether or not its first entry exists). */
export async function pointAt(place: ChainPlace, segment: number): Promise<void> {
  if (!place.segmented) return;
  const pointer: PointerDoc = { id: POINTER_ID, orgId: place.orgId, partition: place.orgId, latest: segment };
  await container(place.container).items.upsert(pointer);
}

/** The entries stored at these seqs (one round trip per segment they fall in), undefined where absent. */
export async function readStoredEntries(orgId: string, seqs: number[]): Promise<(AuditEntry | undefined)[]> {
  return readStoredEntriesAt(await placeOf(orgId), seqs);
}

export async function readStoredEntriesAt(place: ChainPlace, seqs: number[]): Promise<(AuditEntry | undefined)[]> {
  const runs = bySegment(seqs, (s) => place.segmentOf(s));
  const pages = await Promise.all(runs.map((run) => readBatch<EntryDoc>(place.container, place.partition(run.segment), run.items.map(entryId))));
  return pages.flat().map((doc) => (doc ? toAuditEntry(doc) : undefined));
}

export async function readEntry(orgId: string, seq: number): Promise<AuditEntry | undefined> {
  return readEntryAt(await placeOf(orgId), seq);
}

export async function readEntryAt(place: ChainPlace, seq: number): Promise<AuditEntry | undefined> {
  const resource = await readIfExists<EntryDoc>(place.container, place.partition(place.segmentOf(seq)), entryId(seq));
  return resource ? toAuditEntry(resource) : undefined;
}

/**
 * The latest segment that has entries: the pointer's, or a later one whose first entry or head
 * hint exists (the pointer lags by at most a crash; either document alone shows the segment began,
 * so one entry removed from the store cannot hide what follows it). 0 for a chain that has none
 * yet, and for an unsegmented one.
 */
async function latestSegment(place: ChainPlace): Promise<number> {
  if (!place.segmented) return 0;
  let segment = (await readIfExists<PointerDoc>(place.container, place.orgId, POINTER_ID))?.latest ?? 0;
  const begun = async (s: number): Promise<boolean> =>
    (await readEntryAt(place, place.firstSeq(s))) !== undefined || (await readIfExists<HeadDoc>(place.container, place.partition(s), HEAD_ID)) !== undefined;
  while (await begun(segment + 1)) segment += 1;
  return segment;
}

/**
 * A recent entry of the chain, from which a reader walks forward to the end: the latest
 * segment's head hint, or that segment's first entry while it has no hint yet.
 */
export async function readHead(orgId: string): Promise<{ seq: number; hash: string } | undefined> {
  return readHeadAt(await placeOf(orgId));
}

export async function readHeadAt(place: ChainPlace): Promise<{ seq: number; hash: string } | undefined> {
  for (let segment = await latestSegment(place); segment >= 0; segment -= 1) {
    const head = await readIfExists<HeadDoc>(place.container, place.partition(segment), HEAD_ID);
    if (head) return { seq: head.seq, hash: head.hash };
    const first = await readEntryAt(place, place.firstSeq(segment));
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
  const place = await placeOf(orgId);
  // A hint: written blind, in the old place too (a late one there is harmless, the copy walks past hints).
  await container(place.container).items.upsert(headDoc(place, entry));
}

/** The partitions of a chain's segments, oldest first. */
async function partitionsOf(place: ChainPlace, segments?: number[]): Promise<string[]> {
  if (!place.segmented) return [place.partition(0)];
  const all = segments ?? Array.from({ length: (await latestSegment(place)) + 1 }, (_, i) => i);
  return all.map((s) => place.partition(s));
}

/**
 * Whether the chain holds an entry of this action and target (and of this request, and with this
 * outcome, when given): a query per segment, newest first, asked only when recovering
 * (audit-outbox.ts, a redelivered queue message), never on the hot path. The outcome counts: a
 * request refused part-way (an erasure that met a legal hold after its mark) writes a denied entry
 * of the same action, target and request as the success entry its outbox holds, which the change,
 * finished later, still owes.
 */
export async function chainHolds(orgId: string, draft: Pick<AuditDraft, 'action' | 'target'> & { requestId?: string; outcome?: string }): Promise<boolean> {
  const values = {
    '@action': draft.action,
    '@target': draft.target.id,
    ...(draft.requestId === undefined ? {} : { '@requestId': draft.requestId }),
    ...(draft.outcome === undefined ? {} : { '@outcome': draft.outcome }),
  };
  const where = `c.action = @action AND c.target.id = @target${draft.requestId === undefined ? '' : ' AND c.requestId = @requestId'}${draft.outcome === undefined ? '' : ' AND c.outcome = @outcome'}`;
  const newestFirst = async (place: ChainPlace) => (await partitionsOf(place)).reverse();
  const first = await entriesWhere(orgId, where, values, 1, newestFirst).next();
  return first.done !== true;
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
/** Events whose mentions in lists one query looks for, at most (one clause each: the query's text stays far below Cosmos DB's limit). */
export const MAX_EVENT_MENTIONS = 200;

export async function readEntriesAboutPeople(
  orgId: string,
  targetIds: string[],
  profileIds: string[],
  limit: number,
  /** Events whose mention in a list's entry (details.eventIds: a listing, a vehicle enquiry, a case file) is about them too. */
  eventIds: string[] = [],
): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const mentions = [
    ...profileIds.map((_, i) => `ARRAY_CONTAINS(c.details.profileIds, @p${i})`),
    ...eventIds.slice(0, MAX_EVENT_MENTIONS).map((_, i) => `ARRAY_CONTAINS(c.details.eventIds, @e${i})`),
  ];
  const where =
    '(' +
    ['ARRAY_CONTAINS(@ids, c.target.id)', 'ARRAY_CONTAINS(@pids, c.details.subjectProfileId)', 'ARRAY_CONTAINS(@pids, c.details.candidateProfileId)', ...mentions].join(' OR ') +
    ')';
  const values = { '@ids': targetIds, '@pids': profileIds, ...Object.fromEntries(profileIds.map((p, i) => [`@p${i}`, p])), ...Object.fromEntries(eventIds.slice(0, MAX_EVENT_MENTIONS).map((e, i) => [`@e${i}`, e])) };
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
  const since = (place: ChainPlace) => partitionsOf(place, place.segmented ? segmentsBetween(after + 1, upto, settings().AUDIT_SEGMENT_ENTRIES) : undefined);
  return entriesWhere(orgId, 'c.seq > @after AND c.seq <= @upto AND IS_DEFINED(c.details.legalBasis)', { '@after': after, '@upto': upto }, pageSize, since);
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
 * one query within each partition `partitionsFor` names (all segments, oldest first, by default)
 * at the one place the chain is read from, so memory stays one page whatever the chain's length.
 */
async function* entriesWhere(
  orgId: string,
  where: string,
  values: Record<string, string | number | string[]>,
  pageSize: number,
  partitionsFor: (place: ChainPlace) => Promise<string[]> = (place) => partitionsOf(place),
): AsyncGenerator<AuditEntry> {
  const place = await placeOf(orgId);
  for (const partition of await partitionsFor(place)) {
    const iterator = container(place.container).items.query<AuditEntry>(
      {
        query: `SELECT * FROM c WHERE c.${place.keyPath} = @partition AND c.docType = 'audit-entry' AND ${where} ORDER BY c.seq ASC`,
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
