import { deleteBatch, MAX_BATCH_OPERATIONS } from '../../shared/adapters/cosmos-batch';
import { chainHead } from '../../shared/audit/audit-log';
import { advanceHead, createEntries, entryLocation } from '../../shared/audit/audit-entry-repository';
import { sealEntry, type AuditEntry } from '../../shared/domain/audit-chain';

/**
 * A long audit chain for benchmarks and tests of the export: genuine sealed entries appended
 * straight into Cosmos DB after the chain's head, as another instance would append them.
 */

/** Batches of consecutive entries in flight. */
const PAGES_IN_FLIGHT = 4;

/** Appends `count` genuine entries after the chain's head, 100 per round trip, 4 in flight. */
export async function seedAuditEntries(org: string, count: number): Promise<number> {
  const head = await chainHead(org);
  if (!head) throw new Error('the bench organisation has no chain');
  let seq = head.seq;
  let prev = head.hash;
  const base = Date.parse(head.at) + 1;
  let made = 0;
  let last: AuditEntry = head;
  // Sealing is sequential (each entry hashes the previous one), so batches are made on demand, in order.
  const nextBatch = (): AuditEntry[] => {
    const docs: AuditEntry[] = [];
    while (docs.length < MAX_BATCH_OPERATIONS && made < count) {
      seq += 1;
      const e = sealEntry(
        {
          actor: { sub: `bench-user-${made % 13}`, org, roles: ['Investigator'] },
          action: made % 5 === 0 ? 'event.update' : 'event.read',
          target: { type: 'event', id: `evt-${made % 997}` },
          outcome: 'success',
          requestId: `bench-${seq}`,
          details: { store: `s-${made % 7}` },
        },
        seq,
        prev,
        new Date(base + Math.floor(made / 100)),
      );
      prev = e.hash;
      last = e;
      made += 1;
      docs.push(e);
    }
    return docs;
  };
  await Promise.all(
    Array.from({ length: PAGES_IN_FLIGHT }, async () => {
      for (let docs = nextBatch(); docs.length > 0; docs = nextBatch()) {
        if (!(await createEntries(org, docs, false))) throw new Error('Seeding the audit chain failed: a seq was taken.');
      }
    }),
  );
  await advanceHead(org, last);
  while (Date.now() <= Date.parse(last.at)) await new Promise((r) => setTimeout(r, 5));
  return made;
}

/** Deletes what seedAuditEntries appended (seqs 2.. entries + 1) so the stack is as it was. */
export async function removeSeeded(org: string, entries: number): Promise<void> {
  let next = 2;
  await Promise.all(
    Array.from({ length: PAGES_IN_FLIGHT }, async () => {
      while (next <= entries + 2) {
        const first = next;
        next += MAX_BATCH_OPERATIONS;
        const places = Array.from({ length: MAX_BATCH_OPERATIONS }, (_, i) => entryLocation(org, first + i));
        // A page may cross into the next segment: one batch per partition.
        for (const partitionKey of new Set(places.map((p) => p.partitionKey))) {
          await deleteBatch('audit', partitionKey, places.filter((p) => p.partitionKey === partitionKey).map((p) => p.id));
        }
      }
    }),
  );
}
