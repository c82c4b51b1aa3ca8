import { randomUUID } from 'node:crypto';
import { claimKey, completeKey, failKey, STALE_PENDING_MS } from '../../../shared/events/idempotency';
import { createOrg } from '../support/api';

/**
 * An Idempotency-Key's in-flight marker must never block a retry for long: a failed attempt gives
 * the key over at once, a crashed one after STALE_PENDING_MS, and the retry writes the same
 * resource (so whatever the first attempt wrote is found and finished, never duplicated).
 */
describe('Idempotency-Key claims after failures', () => {
  it('a key whose attempt failed on our side is taken over at once, with the same resource id', async () => {
    const org = await createOrg('retailer');
    const first = await claimKey(org, 'rep-1', 'k-failed', 'hash-a');
    expect(first.kind).toBe('proceed');
    await failKey(org, (first as { docId: string }).docId);
    const t = Date.now();
    const retry = await claimKey(org, 'rep-1', 'k-failed', 'hash-a');
    // At once: not after the 12 s a retry waits for a live first attempt.
    expect(Date.now() - t).toBeLessThan(6_000);
    expect(retry).toEqual({ ...first, takenOver: true });
  });

  it('a marker left by a crashed attempt holds a retry off no longer than STALE_PENDING_MS', async () => {
    const org = await createOrg('retailer');
    const crashed = await claimKey(org, 'rep-1', 'k-crashed', 'hash-a', new Date(Date.now() - STALE_PENDING_MS - 1_000));
    const t = Date.now();
    const retry = await claimKey(org, 'rep-1', 'k-crashed', 'hash-a');
    // At once: not after the 12 s a retry waits for a live first attempt.
    expect(Date.now() - t).toBeLessThan(6_000);
    expect(retry).toEqual({ ...crashed, takenOver: true });
  });

  it('a retry while the first attempt is still working waits for it and gets its response', async () => {
    const org = await createOrg('retailer');
    const first = (await claimKey(org, 'rep-1', 'k-live', 'hash-a')) as { docId: string; resourceId: string };
    const response = { status: 201, headers: { etag: '"1"' }, body: { id: first.resourceId } };
    setTimeout(() => void completeKey(org, first.docId, response), 300);
    expect(await claimKey(org, 'rep-1', 'k-live', 'hash-a')).toEqual({ kind: 'replay', response });
  });

  it('a failed key still refuses another body', async () => {
    const org = await createOrg('retailer');
    const key = `k-${randomUUID()}`;
    const first = (await claimKey(org, 'rep-1', key, 'hash-a')) as { docId: string };
    await failKey(org, first.docId);
    await expect(claimKey(org, 'rep-1', key, 'hash-b')).rejects.toMatchObject({ kind: 'conflict', code: 'IDEMPOTENCY_CONFLICT' });
  });
});
