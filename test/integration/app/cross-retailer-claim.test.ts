import { claimCrossRetailerPair, createLinkOnce, deleteForeignLinksTo, deleteLinks, linkId, type Link } from '../../../shared/matching/link-repository';
import { uniqueId } from '../support/api';

/**
 * A pair across two retailers is one suggestion (PRODUCT §4: decided once, a rejection
 * remembered): both retailers' matchers may meet it at the same moment, and before the claim each
 * found the other's suggestion not yet written and wrote its own (a black-box audit saw one side
 * reject the pair and the other accept it).
 */
describe('claimCrossRetailerPair', () => {
  it('of two matchers claiming the same pair at once, exactly one suggests it; a retry of the winner is still the winner', async () => {
    for (let round = 0; round < 10; round += 1) {
      const [a, b] = [uniqueId('ret'), uniqueId('ret')];
      const id = linkId({ retailerId: a, profileId: 'p-a' }, { retailerId: b, profileId: 'p-b' });
      const claims = await Promise.all([claimCrossRetailerPair(a, b, id), claimCrossRetailerPair(b, a, id)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const [winner, loser] = claims[0] ? [a, b] : [b, a];
      expect(await claimCrossRetailerPair(winner, loser, id)).toBe(true);
      expect(await claimCrossRetailerPair(loser, winner, id)).toBe(false);
    }
  });

  it('a pair the partner already suggested (before claims existed) is not claimed', async () => {
    const [a, b] = [uniqueId('ret'), uniqueId('ret')];
    const id = linkId({ retailerId: a, profileId: 'p-a' }, { retailerId: b, profileId: 'p-b' });
    const link: Link = { id, status: 'rejected', score: 12, subject: { eventId: 'e', personRef: 'p1', profileId: 'p-b' }, candidate: { profileId: 'p-a', retailerId: a, eventIds: [] }, reasons: [], createdAt: new Date().toISOString() };
    expect(await createLinkOnce(b, link)).toBe(true);
    expect(await claimCrossRetailerPair(a, b, id)).toBe(false);
  });

  it("the claim goes with its suggestion: once the owner's suggestion is deleted with its data, the other side may suggest the pair", async () => {
    for (const remove of ['subject', 'candidate'] as const) {
      const [a, b] = [uniqueId('ret'), uniqueId('ret')];
      const id = linkId({ retailerId: a, profileId: 'p-a' }, { retailerId: b, profileId: 'p-b' });
      expect(await claimCrossRetailerPair(a, b, id)).toBe(true);
      const link: Link = { id, status: 'pending', score: 12, subject: { eventId: 'e-a', personRef: 'p1', profileId: 'p-a' }, candidate: { profileId: 'p-b', retailerId: b, eventIds: [] }, reasons: [], createdAt: new Date().toISOString() };
      expect(await createLinkOnce(a, link)).toBe(true);
      expect(await claimCrossRetailerPair(b, a, id)).toBe(false);
      // The subject's event purged (deleteLinks), or the candidate erased at the other retailer (deleteForeignLinksTo).
      if (remove === 'subject') expect(await deleteLinks(a, { eventId: 'e-a' })).toBe(1);
      else expect(await deleteForeignLinksTo(b, 'p-b')).toBe(1);
      expect(await claimCrossRetailerPair(b, a, id)).toBe(true);
    }
  });
});
