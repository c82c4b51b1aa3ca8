/** HTTP wants ETags quoted; storage may or may not quote them. Compare and emit in one form. */
export const httpEtag = (etag: string): string => (etag.startsWith('"') ? etag : `"${etag}"`);

const bare = (etag: string): string => etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

/** If-Match semantics: `*` matches anything that exists; otherwise any listed tag equal to the current one. */
export function etagMatches(ifMatch: string, current: string): boolean {
  return ifMatch.trim() === '*' || ifMatch.split(',').some((tag) => bare(tag) === bare(current));
}

/** The version a use case may change, as If-Match states it: a check of the current version, or null when the header is absent. */
export function ifMatchOf(header: string | null | undefined): ((current: string) => boolean) | null {
  return header ? (current) => etagMatches(header, current) : null;
}
