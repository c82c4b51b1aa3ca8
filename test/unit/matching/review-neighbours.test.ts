import { neighbourReview, type ReviewNeighboursStore } from '../../../shared/matching/review-neighbours';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import { EMPTY_STATS } from '../../../shared/matching/reindex-profile';
import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';

/**
 * The review graph around a subject, over pending suggestions and profiles in memory: who counts
 * as a neighbour of either side, what is read and how often, and how a suggestion made during
 * the match grows the graph. The veto itself (consistentWithNeighbours) is the domain's, tested in
 * candidates.test.ts; the whole against the emulator in test/integration/app/match-neighbours.test.ts.
 */
const SHOP = 'shop';

class Records implements ReviewNeighboursStore {
  profiles = new Map<string, ProfileDoc>();
  /** Pending suggestions of the shop, as pairs of profile ids. */
  pairs: [string, string][] = [];
  queries: string[][] = [];
  reads: string[][] = [];

  pendingPairsAmong = async (_retailerId: string, ids: readonly string[]) => {
    this.queries.push([...ids]);
    return this.pairs.filter(([a, b]) => ids.includes(a) || ids.includes(b));
  };
  /** As the repository: absent profiles and those being erased are left out. */
  readProfiles = async (_retailerId: string, ids: readonly string[]) => {
    this.reads.push([...ids]);
    return ids.flatMap((id) => {
      const p = this.profiles.get(id);
      return p && !p.erasing ? [structuredClone(p)] : [];
    });
  };

  /** A profile under these blocking keys (none: never indexed), its facts naming it so that `probability` can tell who is who. */
  profile(id: string, keys: string[], more: Partial<ProfileDoc> = {}): ProfileDoc {
    const facts: PersonFacts = { ...EMPTY_FACTS, names: [{ given: id }] };
    const p: ProfileDoc = { id, orgId: SHOP, docType: 'profile', eventIds: [], createdAt: '', updatedAt: '', ...(keys.length ? { match: { facts, keys, stats: EMPTY_STATS, indexedEvents: [] } } : {}), ...more };
    this.profiles.set(id, p);
    return structuredClone(p);
  }
}

/** Everyone is likely one person with everyone, but for these pairs: certainly apart. */
function matcher(...apart: [string, string][]) {
  const asked: string[] = [];
  const probability = (a: PersonFacts, b: PersonFacts) => {
    const pair = [a.names[0]!.given!, b.names[0]!.given!];
    asked.push(pair.join('~'));
    return apart.some(([x, y]) => (pair[0] === x && pair[1] === y) || (pair[0] === y && pair[1] === x)) ? 0 : 0.9;
  };
  return { probability, asked };
}

const own = (profile: ProfileDoc) => ({ retailerId: SHOP, profile });
const partner = (profile: ProfileDoc) => ({ retailerId: 'partner', profile });

function world() {
  const records = new Records();
  return { records, review: neighbourReview(records) };
}

describe('the review graph around a subject', () => {
  it('is read once, and only when first asked: the pending suggestions of the subject and of the retailer’s own candidates, not a partner’s', async () => {
    const { records, review } = world();
    const [s, a, b, p] = [records.profile('s', ['k']), records.profile('a', ['k']), records.profile('b', ['k']), records.profile('p', ['k'])];
    const graph = review(SHOP, s, [own(a), own(b), partner(p)]);
    expect(records.queries).toEqual([]);
    const { probability } = matcher();
    expect(await graph.agrees(own(a), probability)).toBe(true);
    expect(await graph.agrees(partner(p), probability)).toBe(true);
    await graph.suggested(own(a));
    expect(await graph.agrees(own(b), probability)).toBe(true);
    expect(records.queries).toEqual([['s', 'a', 'b']]);
  });

  it('refuses a candidate whose pending neighbour shares a key with the subject and is certainly someone else; a neighbour sharing no key, or likely the same, does not count', async () => {
    const { records, review } = world();
    const [s, a, b, c] = [records.profile('s', ['k1']), records.profile('a', ['k1']), records.profile('b', ['k1']), records.profile('c', ['k1'])];
    records.profile('d', ['k1']);
    records.profile('e', ['k2']);
    records.pairs.push(['a', 'd'], ['e', 'b'], ['c', 'd']);
    const graph = review(SHOP, s, [own(a), own(b), own(c)]);
    expect(await graph.agrees(own(a), matcher(['s', 'd']).probability)).toBe(false);
    expect(await graph.agrees(own(b), matcher(['s', 'e']).probability)).toBe(true);
    expect(await graph.agrees(own(c), matcher().probability)).toBe(true);
  });

  it('counts the subject’s own pending neighbours against the candidate, a partner’s candidate too', async () => {
    const { records, review } = world();
    const [s, a, p] = [records.profile('s', ['k1']), records.profile('a', ['k1']), records.profile('p', ['k1'])];
    records.profile('n', ['k1']);
    records.pairs.push(['n', 's']);
    const graph = review(SHOP, s, [own(a), partner(p)]);
    expect(await graph.agrees(own(a), matcher(['n', 'a']).probability)).toBe(false);
    expect(await graph.agrees(partner(p), matcher(['n', 'p']).probability)).toBe(false);
    expect(await graph.agrees(partner(p), matcher(['s', 'p']).probability)).toBe(true);
  });

  it('never counts the pair it judges as its own neighbours: a pending suggestion between subject and candidate vetoes nothing', async () => {
    const { records, review } = world();
    const [s, a] = [records.profile('s', ['k1']), records.profile('a', ['k1'])];
    records.pairs.push(['s', 'a']);
    const { probability, asked } = matcher(['s', 'a']);
    expect(await review(SHOP, s, [own(a)]).agrees(own(a), probability)).toBe(true);
    expect(asked).toEqual([]);
  });

  it('reads each neighbour’s profile once, never the subject’s or a candidate’s; one gone, being erased or never indexed counts for nothing', async () => {
    const { records, review } = world();
    const [s, a, b] = [records.profile('s', ['k1']), records.profile('a', ['k1']), records.profile('b', ['k1'])];
    records.profile('d', ['k1']);
    records.profile('erased', ['k1'], { erasing: { at: 'now', by: 'admin' } });
    records.profile('unindexed', []);
    records.pairs.push(['a', 'd'], ['a', 'erased'], ['a', 'gone'], ['b', 'd'], ['b', 'unindexed'], ['b', 'a'], ['s', 'b']);
    const graph = review(SHOP, s, [own(a), own(b)]);
    const { probability, asked } = matcher(['s', 'erased'], ['s', 'unindexed'], ['s', 'gone']);
    expect(await graph.agrees(own(a), probability)).toBe(true);
    expect(await graph.agrees(own(b), probability)).toBe(true);
    expect(await graph.agrees(own(a), probability)).toBe(true);
    expect(records.reads).toEqual([['d', 'erased', 'gone'], ['unindexed']]);
    expect(asked.some((pair) => /erased|unindexed|gone/.test(pair))).toBe(false);
  });

  it('grows the subject’s neighbours with each suggestion made here, so a later candidate meets them; a partner’s suggestion is not in this graph', async () => {
    const { records, review } = world();
    const [s, a, b, p] = [records.profile('s', ['k1']), records.profile('a', ['k1']), records.profile('b', ['k1']), records.profile('p', ['k1'])];
    const graph = review(SHOP, s, [own(a), own(b), partner(p)]);
    const { probability } = matcher(['a', 'b'], ['p', 'b']);
    expect(await graph.agrees(own(b), probability)).toBe(true);
    await graph.suggested(partner(p));
    expect(await graph.agrees(own(b), probability)).toBe(true);
    await graph.suggested(own(a));
    await graph.suggested(own(a));
    expect(await graph.agrees(own(b), probability)).toBe(false);
    expect(records.queries).toHaveLength(1);
    expect(records.reads).toEqual([]);
  });
});
