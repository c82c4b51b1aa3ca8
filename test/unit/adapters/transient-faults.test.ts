import { createHttpHeaders, createPipelineRequest, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { isTransientFault, retryAfterSeconds, retryingHttpClient, retryPause, storeAnswers, STORE_RETRY, type RetryPlan } from '../../../shared/adapters/transient-faults';

const NO_PAUSE: RetryPlan = { tries: 5, baseMs: 0, capMs: 0 };

/** An inner client that answers from a script: a status, or an error to throw. */
function scripted(steps: (number | Error)[]): HttpClient & { calls: number } {
  const client = {
    calls: 0,
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const step = steps[Math.min(client.calls++, steps.length - 1)]!;
      if (step instanceof Error) throw step;
      return { request, status: step, headers: createHttpHeaders(step === 429 ? { 'x-ms-retry-after-ms': '1' } : {}) };
    },
  };
  return client;
}

const request = (headers: Record<string, string> = {}) => createPipelineRequest({ url: 'https://127.0.0.1:1/dbs/x', method: 'POST', headers: createHttpHeaders(headers) });
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('transient faults', () => {
  it('knows the store\'s bad days from its answers', () => {
    for (const code of [408, 429, 449, 503]) expect(isTransientFault({ code })).toBe(true);
    for (const code of [400, 401, 403, 404, 409, 412, 413, 500]) expect(isTransientFault({ code })).toBe(false);
    expect(isTransientFault({ code: 'ServerBusy', statusCode: 503 })).toBe(true);
    expect(isTransientFault({ code: 'AuthorizationFailure', statusCode: 403 })).toBe(false);
    expect(isTransientFault(reset())).toBe(true);
    expect(isTransientFault({ code: 'REQUEST_SEND_ERROR' })).toBe(true);
    // An answer cut part-way through its body.
    expect(isTransientFault(Object.assign(new Error('Error reading response as text: aborted'), { code: 'PARSE_ERROR' }))).toBe(true);
    expect(isTransientFault(Object.assign(new Error('Error parsing JSON'), { code: 'PARSE_ERROR' }))).toBe(false);
    expect(isTransientFault(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientFault(undefined)).toBe(false);
  });

  it('reads what the store asked a client to wait, rounded up to whole seconds, 1 by default, at most 30', () => {
    expect(retryAfterSeconds({ headers: { 'x-ms-retry-after-ms': '1200' } })).toBe(2);
    expect(retryAfterSeconds({ headers: createHttpHeaders({ 'retry-after': '7' }) })).toBe(7);
    expect(retryAfterSeconds({ headers: { 'x-ms-retry-after-ms': '900000' } })).toBe(30);
    expect(retryAfterSeconds({})).toBe(1);
  });

  it('pauses with full jitter, growing and capped', () => {
    expect(retryPause(STORE_RETRY, 0, () => 0.999)).toBeLessThan(STORE_RETRY.baseMs);
    expect(retryPause(STORE_RETRY, 3, () => 0.999)).toBeLessThan(STORE_RETRY.baseMs * 8);
    expect(retryPause(STORE_RETRY, 20, () => 0.999)).toBeLessThanOrEqual(STORE_RETRY.capMs);
    expect(retryPause(STORE_RETRY, 2, () => 0)).toBe(0);
  });
});

describe('retryingHttpClient', () => {
  it('retries 503, 408 and dropped connections until an answer', async () => {
    const inner = scripted([503, reset(), 408, 201]);
    const res = await retryingHttpClient(inner, NO_PAUSE).sendRequest(request());
    expect([res.status, inner.calls]).toEqual([201, 4]);
  });

  it('gives the last answer back after its tries (the edge then answers 503)', async () => {
    const inner = scripted([503]);
    const res = await retryingHttpClient(inner, NO_PAUSE).sendRequest(request());
    expect([res.status, inner.calls]).toEqual([503, 5]);
  });

  it("tells whoever watches (storeAnswers) whether the store's last answer was the moment's: the SDK's batch wrapper drops the status", async () => {
    const seen = async (script: Parameters<typeof scripted>[0], aborted = false) => {
      const answers: { transient?: boolean; permanent?: boolean } = {};
      const abort = new AbortController();
      if (aborted) abort.abort();
      await storeAnswers.run(answers, () => retryingHttpClient(scripted(script), NO_PAUSE).sendRequest({ ...request(), abortSignal: abort.signal }).catch(() => undefined));
      return answers;
    };
    expect(await seen([503])).toEqual({ transient: true });
    expect(await seen([reset()])).toEqual({ transient: true });
    // The SDK's own time-out aborts the request: the moment's, not an answer.
    expect(await seen([Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' })], true)).toEqual({ transient: true });
    expect(await seen([400])).toEqual({ permanent: true });
    expect(await seen([413])).toEqual({ permanent: true });
    expect(await seen([new TypeError('bug')])).toEqual({ permanent: true });
    // Retried to success, or an answer that is not a failure: nothing to note.
    expect(await seen([503, 201])).toEqual({});
    expect(await seen([404])).toEqual({ permanent: true });
  });

  it('throws the last network error after its tries', async () => {
    const inner = scripted([reset()]);
    await expect(retryingHttpClient(inner, NO_PAUSE).sendRequest(request())).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(inner.calls).toBe(5);
  });

  it('does not retry an answer (409, 412, 404) or a bug', async () => {
    for (const status of [200, 404, 409, 412]) {
      const inner = scripted([status, 200]);
      expect((await retryingHttpClient(inner, NO_PAUSE).sendRequest(request())).status).toBe(status);
      expect(inner.calls).toBe(1);
    }
    const broken = scripted([new TypeError('bug'), 200]);
    await expect(retryingHttpClient(broken, NO_PAUSE).sendRequest(request())).rejects.toThrow('bug');
    expect(broken.calls).toBe(1);
  });

  it('leaves 429 to the SDK, except on a bulk request, which the SDK does not retry', async () => {
    const point = scripted([429, 200]);
    expect((await retryingHttpClient(point, NO_PAUSE).sendRequest(request())).status).toBe(429);
    const atomic = scripted([429, 200]);
    await retryingHttpClient(atomic, NO_PAUSE).sendRequest(request({ 'x-ms-cosmos-is-batch-request': 'true', 'x-ms-cosmos-batch-atomic': 'true' }));
    expect(atomic.calls).toBe(1);
    const bulk = scripted([429, 429, 200]);
    const res = await retryingHttpClient(bulk, NO_PAUSE).sendRequest(request({ 'x-ms-cosmos-is-batch-request': 'true', 'x-ms-cosmos-batch-atomic': 'false' }));
    expect([res.status, bulk.calls]).toEqual([200, 3]);
  });

  it('stops when the request was aborted (the SDK timed it out)', async () => {
    const controller = new AbortController();
    const inner = scripted([reset(), 200]);
    const req = createPipelineRequest({ url: 'https://127.0.0.1:1/x', method: 'GET', abortSignal: controller.signal });
    controller.abort();
    await expect(retryingHttpClient(inner, NO_PAUSE).sendRequest(req)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(inner.calls).toBe(1);
  });
});
