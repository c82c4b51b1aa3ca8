import { MAX_KEY_MEMBERS } from '../../../shared/domain/matching/keys';
import { applyChange, documentAfter, mergeKeyDocs, POPULATION_ID, type IndexChange, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';

const key = (members: string[], extra: Partial<MatchKeyDoc> = {}): MatchKeyDoc => ({ id: 'fn:abc', orgId: 'o', docType: 'matchkey', members, count: members.length, saturated: false, ...extra });

describe('merging a key document from before shards into the one written since', () => {
  it('unites the holders and counts each once', () => {
    expect(mergeKeyDocs(key(['c', 'b']), key(['a', 'b']))).toMatchObject({ members: ['a', 'c', 'b'], count: 3, saturated: false });
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

describe("the index writer's change to one key document", () => {
  const add = (doc: MatchKeyDoc | undefined, id: string, profileId: string) => applyChange(doc, { id, profileId, add: true });
  const remove = (doc: MatchKeyDoc | undefined, id: string, profileId: string) => applyChange(doc, { id, profileId, add: false });
  const fill = (id: string, n: number) => Array.from({ length: n }, (_, i) => `p-${i}`).reduce<MatchKeyDoc | undefined>((d, p) => add(d, id, p), undefined)!;

  it('a full name past the bound keeps its count and its newest holders, never more than the bound', () => {
    const doc = fill('nm:0123abcd', MAX_KEY_MEMBERS + 7);
    expect(doc).toMatchObject({ count: MAX_KEY_MEMBERS + 7, saturated: true });
    expect(doc.members).toEqual(Array.from({ length: MAX_KEY_MEMBERS }, (_, i) => `p-${i + 7}`));
  });

  it('a surname, a feature word or a partial name past the bound keeps only its count', () => {
    for (const id of ['fm:0123abcd', 'ft:0123abcd', 'np:0123abcd']) expect(fill(id, MAX_KEY_MEMBERS + 1)).toMatchObject({ members: [], count: MAX_KEY_MEMBERS + 1, saturated: true });
  });

  it('a holder leaving a saturated key: out of the list if listed, the count one less either way; one listed already adds nothing', () => {
    const doc = fill('ph:0123abcd', MAX_KEY_MEMBERS + 2);
    const listed = remove(doc, 'ph:0123abcd', 'p-10')!;
    expect(listed).toMatchObject({ count: MAX_KEY_MEMBERS + 1 });
    expect(listed.members).not.toContain('p-10');
    expect(listed.members).toHaveLength(MAX_KEY_MEMBERS - 1);
    const older = remove(listed, 'ph:0123abcd', 'p-0')!;
    expect(older).toMatchObject({ count: MAX_KEY_MEMBERS, members: listed.members });
    expect(add(older, 'ph:0123abcd', 'p-20')).toBe(older);
  });

  it("a population write retried after its answer was lost finds its own id and counts nothing twice; another write's id does not stop it", () => {
    const grow: IndexChange[] = [{ id: POPULATION_ID, delta: 1 }, { id: POPULATION_ID, delta: 1 }];
    const first = documentAfter(undefined, grow, 'w-1')!;
    expect(first).toMatchObject({ count: 2, applied: ['w-1'] });
    // The same write read back after it landed: unchanged, so no write.
    expect(documentAfter(first, grow, 'w-1')).toBe(first);
    expect(documentAfter(first, [{ id: POPULATION_ID, delta: -1 }], 'w-2')).toMatchObject({ count: 1, applied: ['w-1', 'w-2'] });
    // The ids kept are the last 32.
    let doc: MatchKeyDoc | undefined = first;
    for (let n = 0; n < 40; n++) doc = documentAfter(doc, [{ id: POPULATION_ID, delta: 1 }], `x-${n}`);
    expect(doc).toMatchObject({ count: 42 });
    expect(doc!.applied).toHaveLength(32);
    expect(doc!.applied!.at(-1)).toBe('x-39');
    // A key's holders carry no write ids: adding one twice is already one change.
    const keyDoc = documentAfter(undefined, [{ id: 'nm:abc', profileId: 'p-1', add: true }], 'w-3')!;
    expect(keyDoc.applied).toBeUndefined();
    expect(documentAfter(keyDoc, [{ id: 'nm:abc', profileId: 'p-1', add: true }], 'w-4')).toBe(keyDoc);
  });

  it('the population moves by its delta, and never below nothing', () => {
    const population = applyChange(undefined, { id: POPULATION_ID, delta: 1 })!;
    expect(population).toMatchObject({ docType: 'population', count: 1 });
    expect(applyChange(applyChange(population, { id: POPULATION_ID, delta: -1 }), { id: POPULATION_ID, delta: -1 })).toMatchObject({ count: 0 });
  });
});
