import { PreconditionFailedError, ServiceUnavailableError } from '../domain/errors';
import { contentionPause, isNotFound, isPreconditionFailed } from './cosmos-errors';

/** How many times a read-modify-write tries before it gives up on a document that keeps changing. */
export const OPTIMISTIC_ATTEMPTS = 16;

/** What an attempt answers when the document changed or went since it was read: read again and decide again. */
export const RETRY: unique symbol = Symbol('retry');

/**
 * The one loop for optimistic read-modify-write on a document: each attempt reads, decides, and
 * writes on the condition that nothing changed since its read (If-Match), and answers its result,
 * or RETRY; an attempt whose conditional write fails (412: changed, from the store or as a
 * repository's PreconditionFailedError; 404: gone) is retried too.
 * Retries are spread by a random pause that doubles (contentionPause). A document still changing
 * after OPTIMISTIC_ATTEMPTS is too busy for this moment: 503 with Retry-After, as any transient
 * fault, so the client tries again later (never a 500, and nothing half-written).
 */
export async function optimistically<T>(what: string, attempt: (n: number) => Promise<T | typeof RETRY>): Promise<T> {
  for (let n = 0; n < OPTIMISTIC_ATTEMPTS; n++) {
    await contentionPause(n);
    try {
      const out = await attempt(n);
      if (out !== RETRY) return out;
    } catch (error) {
      if (!isPreconditionFailed(error) && !isNotFound(error) && !(error instanceof PreconditionFailedError)) throw error;
    }
  }
  throw new ServiceUnavailableError(`${what} kept changing while it was being written; try again.`);
}
