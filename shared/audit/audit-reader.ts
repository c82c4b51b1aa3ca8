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
