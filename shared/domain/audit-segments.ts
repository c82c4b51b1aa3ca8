/**
 * An audit chain is one sequence of seqs per organisation, stored in segments of a fixed number
 * of entries so that no logical partition grows without bound (docs/decisions/0004): segment k
 * holds seqs k·size + 1 … (k + 1)·size. Where an entry lives follows from its seq alone, so a
 * point read stays a point read. The size is fixed for a deployment's life: changing it moves
 * every entry.
 */

export const segmentOf = (seq: number, size: number): number => Math.floor((seq - 1) / size);

export const firstSeqOf = (segment: number, size: number): number => segment * size + 1;

export const lastSeqOf = (segment: number, size: number): number => (segment + 1) * size;

/** Consecutive runs of items that fall in one segment each (`segmentOfItem`), in order. */
export function bySegment<T>(items: readonly T[], segmentOfItem: (item: T) => number): { segment: number; items: T[] }[] {
  const runs: { segment: number; items: T[] }[] = [];
  for (const item of items) {
    const segment = segmentOfItem(item);
    const last = runs.at(-1);
    if (last && last.segment === segment) last.items.push(item);
    else runs.push({ segment, items: [item] });
  }
  return runs;
}

/** The segments that hold seqs first … last (none when last < first). */
export function segmentsBetween(first: number, last: number, size: number): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let s = segmentOf(Math.max(1, first), size); s <= segmentOf(last, size); s += 1) out.push(s);
  return out;
}
