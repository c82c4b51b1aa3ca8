import { ConflictError } from '../../../shared/domain/errors';
import { PROFILE_LEASE_MS, withProfileLeases } from '../../../shared/matching/profile-leases';
import { Leases } from '../support/leases';

const NOW = new Date('2026-12-06T10:00:00Z');

describe('profile leases', () => {
  it('are taken in id order, held while the work runs, and given back after, even when it fails', async () => {
    const leases = new Leases();
    const seen = await withProfileLeases(leases, 'shop', ['p2', 'p1', 'p2'], 'merge:l1', async () => [...leases.held.keys()], NOW);
    expect(seen).toEqual(['p1', 'p2']);
    expect(leases.log).toEqual(['take p1', 'take p2', 'release p1', 'release p2']);
    await expect(withProfileLeases(leases, 'shop', ['p1'], 'split:l1', async () => Promise.reject(new Error('crash')), NOW)).rejects.toThrow('crash');
    expect(leases.held.size).toBe(0);
  });

  it("another holder's lease is 409 PROFILE_BUSY, with nothing done and what was taken given back; the same holder takes it again; a lapsed one is taken over", async () => {
    const leases = new Leases();
    leases.held.set('p2', { holder: 'split:l9', until: NOW.getTime() + 1_000 });
    let ran = false;
    const busy = withProfileLeases(leases, 'shop', ['p1', 'p2'], 'merge:l1', async () => void (ran = true), NOW);
    await expect(busy).rejects.toBeInstanceOf(ConflictError);
    await expect(withProfileLeases(leases, 'shop', ['p1', 'p2'], 'merge:l1', async () => undefined, NOW)).rejects.toMatchObject({ code: 'PROFILE_BUSY' });
    expect(ran).toBe(false);
    expect([...leases.held.keys()]).toEqual(['p2']);
    // The same operation again goes on, extends the lease, and leaves giving it back to the first taking.
    expect(await withProfileLeases(leases, 'shop', ['p2'], 'split:l9', async () => 'again', NOW)).toBe('again');
    expect(leases.held.get('p2')).toMatchObject({ holder: 'split:l9', until: NOW.getTime() + PROFILE_LEASE_MS });
    leases.held.set('p2', { holder: 'split:l9', until: NOW.getTime() + 1_000, token: 'old' });
    const later = new Date(NOW.getTime() + 2_000);
    expect(await withProfileLeases(leases, 'shop', ['p2'], 'merge:l1', async () => 'taken over', later)).toBe('taken over');
    // The lapsed holder giving it back later does not take the new holder's.
    leases.held.set('p2', { holder: 'merge:l2', until: later.getTime() + 60_000, token: 'new' });
    await leases.releaseProfileLease('shop', 'p2', 'old');
    expect(leases.held.get('p2')).toMatchObject({ holder: 'merge:l2' });
    expect(PROFILE_LEASE_MS).toBeGreaterThanOrEqual(60_000);
  });
});
