import { OPTIMISTIC_ATTEMPTS, optimistically, RETRY } from '../../../shared/adapters/optimistic';
import { PreconditionFailedError, ServiceUnavailableError } from '../../../shared/domain/errors';

/** The one read-modify-write loop: what it retries, what it does not, and how it gives up. */
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const storeError = (code: number) => Object.assign(new Error(`status ${code}`), { code });

it('retries an attempt that answered RETRY or lost its conditional write, then answers what the next attempt decided', async () => {
  const outcomes: (() => Promise<string | typeof RETRY>)[] = [
    () => Promise.resolve(RETRY),
    () => Promise.reject(storeError(412)),
    () => Promise.reject(storeError(404)),
    () => Promise.reject(new PreconditionFailedError()),
    () => Promise.resolve('written'),
  ];
  const seen: number[] = [];
  const result = optimistically('A document', (n) => {
    seen.push(n);
    return outcomes[n]!();
  });
  await jest.runAllTimersAsync();
  await expect(result).resolves.toBe('written');
  expect(seen).toEqual([0, 1, 2, 3, 4]);
});

it('does not retry any other failure', async () => {
  let attempts = 0;
  const result = optimistically('A document', () => {
    attempts++;
    return Promise.reject(storeError(409));
  });
  await expect(result).rejects.toThrow('status 409');
  expect(attempts).toBe(1);
});

it('gives up on a document that keeps changing with a 503 that asks the client to retry, never a 500', async () => {
  let attempts = 0;
  const result = optimistically('Profile p-1', () => {
    attempts++;
    return Promise.resolve(RETRY);
  });
  const settled = result.catch((e: unknown) => e);
  await jest.runAllTimersAsync();
  const error = await settled;
  expect(error).toBeInstanceOf(ServiceUnavailableError);
  expect((error as ServiceUnavailableError).retryAfterSeconds).toBe(1);
  expect((error as Error).message).toContain('Profile p-1');
  expect(attempts).toBe(OPTIMISTIC_ATTEMPTS);
});
