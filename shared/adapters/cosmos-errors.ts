/** Cosmos DB reports HTTP-like status codes on its errors; these helpers read them safely. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null) {
    // Cosmos DB puts the status in `code`; Storage's RestError puts its error name there and the status in `statusCode`.
    const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
    if (typeof code === 'number') return code;
    if (typeof statusCode === 'number') return statusCode;
  }
  return undefined;
}

export const isNotFound = (e: unknown): boolean => statusOf(e) === 404;
export const isConflict = (e: unknown): boolean => statusOf(e) === 409;
export const isPreconditionFailed = (e: unknown): boolean => statusOf(e) === 412;
/** A logical partition at its limit (20 GB): Cosmos DB answers 403 with sub-status 1014. */
export const isPartitionFull = (e: unknown): boolean => statusOf(e) === 403 && Number((e as { substatus?: unknown }).substatus) === 1014;

/**
 * A pause before retrying an optimistic write that lost a race: random ("full jitter") up to
 * 10 ms × 2^attempt, capped at 400 ms, so writers contending for one hot document (a common
 * name's key, the population count) spread out instead of colliding again in lock-step.
 */
export function contentionPause(attempt: number): Promise<void> {
  if (attempt === 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(400, 10 * 2 ** attempt)));
}
