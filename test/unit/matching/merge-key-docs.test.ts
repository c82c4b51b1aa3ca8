import { MAX_KEY_MEMBERS } from '../../../shared/domain/matching/keys';
import { mergeKeyDocs, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';

const key = (members: string[], extra: Partial<MatchKeyDoc> = {}): MatchKeyDoc => ({ id: 'fn:abc', orgId: 'o', docType: 'matchkey', members, count: members.length, saturated: false, ...extra });

describe('merging a key document from before shards into the one written since', () => {
  it('unites the holders and counts each once', () => {
    expect(mergeKeyDocs(key(['c', 'b']), key(['a', 'b']))).toMatchObject({ members: ['c', 'b', 'a'], count: 3, saturated: false });
  });

  it('saturates when the union passes the most a key lists, keeping the count', () => {
    const old = key(Array.from({ length: MAX_KEY_MEMBERS }, (_, i) => `old-${i}`));
    expect(mergeKeyDocs(key(['new-1']), old)).toMatchObject({ members: [], count: MAX_KEY_MEMBERS + 1, saturated: true });
    expect(mergeKeyDocs(key([]), key([], { count: 70, saturated: true }))).toMatchObject({ members: [], count: 70, saturated: true });
  });

  it('a saturated full name keeps its newest holders: the ones written since, then the latest before', () => {
    const old = key(Array.from({ length: MAX_KEY_MEMBERS }, (_, i) => `old-${i}`), { id: 'nm:abc' });
    const merged = mergeKeyDocs(key(['new-1', 'new-2'], { id: 'nm:abc' }), old);
    expect(merged).toMatchObject({ count: MAX_KEY_MEMBERS + 2, saturated: true });
    expect(merged.members).toHaveLength(MAX_KEY_MEMBERS);
    expect(merged.members.slice(-2)).toEqual(['new-1', 'new-2']);
    expect(merged.members).not.toContain('old-0');
  });

  it('sums the population and keeps the newer model', () => {
    expect(mergeKeyDocs({ ...key([]), docType: 'population', count: 4 }, { ...key([]), docType: 'population', count: 10 }).count).toBe(14);
    const model = { ...key([]), docType: 'matching-model' } as unknown as MatchKeyDoc;
    expect(mergeKeyDocs(model, { ...key([]), count: 99 })).toBe(model);
  });
});
