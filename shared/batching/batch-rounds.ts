/** What one piece of work would put in a transactional batch. */
export interface BatchShare {
  /** The ids of the documents its operations write. */
  ids: readonly string[];
  operations: number;
  /** The size of its documents as sent (UTF-8 bytes of their JSON). */
  bytes: number;
}

export interface BatchLimits {
  maxOperations: number;
  maxBytes: number;
}

/**
 * Which of `shares`, taken in order, go together in the next batch: as many as fit in its
 * limits, never two that write the same document (in one atomic batch the second would fail
 * on the first's version, and take every other share down with it). The rest wait for a later
 * batch, by which time the first one's writes are known. The first share is always taken,
 * even when it alone is over a limit: it then goes alone, as it would without company.
 */
export function nextBatchRound(shares: readonly BatchShare[], limits: BatchLimits): { taken: number[]; deferred: number[] } {
  const taken: number[] = [];
  const deferred: number[] = [];
  const ids = new Set<string>();
  let operations = 0;
  let bytes = 0;
  shares.forEach((share, i) => {
    const fits =
      taken.length === 0 ||
      (operations + share.operations <= limits.maxOperations && bytes + share.bytes <= limits.maxBytes && share.ids.every((id) => !ids.has(id)));
    if (!fits) {
      deferred.push(i);
      return;
    }
    taken.push(i);
    share.ids.forEach((id) => ids.add(id));
    operations += share.operations;
    bytes += share.bytes;
  });
  return { taken, deferred };
}
