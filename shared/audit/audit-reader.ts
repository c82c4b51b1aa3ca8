import { toAuditEntry, type AuditEntry } from '../domain/audit-chain';
import { container } from '../adapters/cosmos-containers';

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
