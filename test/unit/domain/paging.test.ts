import { pageOf, PageQuerySchema } from '../../../shared/domain/paging';

describe('one paging style', () => {
  const items = ['b', 'a', 'd', 'c', 'e'].map((id) => ({ id }));
  it('pages through every item once, in key order, whatever order they came in', () => {
    const seen: string[] = [];
    let token: string | null | undefined;
    let pages = 0;
    do {
      const page = pageOf(items, (i) => i.id, PageQuerySchema.parse({ pageSize: '2', ...(token ? { continuationToken: token } : {}) }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      token = page.continuationToken;
      pages += 1;
    } while (token);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
  });
  it('a token that is not ours is 400; an exact last page has no token', () => {
    expect(() => pageOf(items, (i) => i.id, { pageSize: 2, continuationToken: 'nope' })).toThrow(expect.objectContaining({ kind: 'validation' }));
    expect(pageOf(items, (i) => i.id, { pageSize: 5 }).continuationToken).toBeNull();
    expect(PageQuerySchema.safeParse({ pageSize: '0' }).success).toBe(false);
    expect(PageQuerySchema.safeParse({ pageSize: '101' }).success).toBe(false);
  });
});
