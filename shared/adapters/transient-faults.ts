import { AsyncLocalStorage } from 'node:async_hooks';
import { createDefaultHttpClient, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { statusOf } from './cosmos-errors';

/**
 * The store's bad days: throttling (429), unavailability (503), time-outs (408), "retry with"
 * (449) and dropped connections. They say nothing about the request, only about the moment:
 * the same request a little later may well succeed. Anything else is an answer (404, 409,
 * 412) or a bug.
 */
const TRANSIENT_STATUSES = new Set([408, 429, 449, 503]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'REQUEST_SEND_ERROR', 'TimeoutError', 'UND_ERR_SOCKET']);

export function isTransientFault(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return TRANSIENT_STATUSES.has(status);
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (name === 'TimeoutError') return true;
  // The connection cut while the answer was being read (the HTTP layer reports it as a parse error).
  if (code === 'PARSE_ERROR' && typeof message === 'string' && message.startsWith('Error reading response as text')) return true;
  return typeof message === 'string' && /socket hang up|ECONNRESET|ECONNREFUSED/.test(message);
}

/** Seconds a client should wait before retrying: what the store asked for, rounded up, else 1; at most 30. */
export function retryAfterSeconds(error: unknown): number {
  const headers = (error as { headers?: unknown } | null)?.headers;
  const get = (name: string): string | undefined => {
    if (!headers || typeof headers !== 'object') return undefined;
    const h = headers as { get?: (n: string) => string | undefined } & Record<string, unknown>;
    const v = typeof h.get === 'function' ? h.get(name) : h[name];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const ms = Number(get('x-ms-retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.min(30, Math.ceil(ms / 1000));
  const s = Number(get('retry-after'));
  if (Number.isFinite(s) && s > 0) return Math.min(30, Math.ceil(s));
  return 1;
}

/** How a request is retried after a transient fault: tries in all, and the pause before each retry. */
export interface RetryPlan {
  tries: number;
  /** Full jitter: a random pause up to baseMs × 2^retry, at most capMs. */
  baseMs: number;
  capMs: number;
}

/**
 * Five tries within about a second and a half: at a 10 % fault rate a request then fails about
 * once in 100,000, and a longer outage still reaches the caller quickly as a 503 with Retry-After
 * (the caller retries later, with the same Idempotency-Key where it writes).
 */
export const STORE_RETRY: RetryPlan = { tries: 5, baseMs: 40, capMs: 600 };

export function retryPause(plan: RetryPlan, retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(plan.capMs, plan.baseMs * 2 ** retry));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A non-atomic batch (bulk): the SDK retries a 429 on anything else, but not on these. */
const isBulk = (request: PipelineRequest): boolean =>
  request.headers.get('x-ms-cosmos-is-batch-request')?.toLowerCase() === 'true' && request.headers.get('x-ms-cosmos-batch-atomic')?.toLowerCase() !== 'true';

/**
 * The Cosmos DB client's HTTP client, retrying one HTTP request after a 503, 408 or 449 or a dropped
 * connection, with jitter. The SDK retries 429 itself (honouring x-ms-retry-after-ms) but not
 * writes after a 503 or a time-out, nor dropped connections, nor a 429 on a bulk request: here
 * every request is retried, writes included. A retried write may have been applied the first time (the connection dropped
 * after the store acted): the caller then sees the answer to a repeat (409 on a create, 412 on a
 * conditional replace, 404 on a delete). An audited batch (writeAudited) finds its own outbox
 * document then and answers as applied; other writers take the repeat's answer for what it is.
 */
/**
 * How the requests made within `run` failed, after their retries: the SDK's batch and bulk
 * wrappers drop the status of a failed request, and the caller watching here learns whether a
 * failure was the moment's (a transient status, a dropped connection, the SDK's own time-out) or
 * a real answer (400, 413…). Failures only, never cleared: one call's requests run side by side.
 */
export const storeAnswers = new AsyncLocalStorage<StoreFailures>();
export interface StoreFailures {
  transient?: boolean;
  permanent?: boolean;
}

export function retryingHttpClient(inner: HttpClient = createDefaultHttpClient(), plan: RetryPlan = STORE_RETRY): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      for (let retry = 0; ; retry++) {
        const last = retry + 1 >= plan.tries;
        try {
          const response = await inner.sendRequest(request);
          if (last || !TRANSIENT_STATUSES.has(response.status) || (response.status === 429 && !isBulk(request))) {
            noteFailure(response.status >= 400 ? TRANSIENT_STATUSES.has(response.status) : undefined);
            return response;
          }
          // A 429 asks for a pause: at least what it says.
          const asked = Number(response.headers.get('x-ms-retry-after-ms'));
          await sleep(Math.max(Number.isFinite(asked) ? asked : 0, retryPause(plan, retry)));
          continue;
        } catch (error) {
          if (last || request.abortSignal?.aborted || !isTransientFault(error)) {
            // Aborted: the SDK's own time-out (or a caller giving up), the moment's too.
            noteFailure(request.abortSignal?.aborted === true || isTransientFault(error));
            throw error;
          }
        }
        await sleep(retryPause(plan, retry));
      }
    },
  };
}

/** For whoever watches (storeAnswers): a request failed, and whether that was the moment's; nothing when it succeeded. */
function noteFailure(transient: boolean | undefined): void {
  const watching = storeAnswers.getStore();
  if (!watching || transient === undefined) return;
  if (transient) watching.transient = true;
  else watching.permanent = true;
}
