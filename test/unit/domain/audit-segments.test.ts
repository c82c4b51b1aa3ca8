import { bySegment, firstSeqOf, lastSeqOf, segmentOf, segmentsBetween } from '../../../shared/domain/audit-segments';

describe('audit chain segments', () => {
  it('places seqs 1…size in segment 0, the next size in segment 1, and so on', () => {
    expect([1, 1000, 1001, 2000, 2001].map((s) => segmentOf(s, 1000))).toEqual([0, 0, 1, 1, 2]);
    expect([firstSeqOf(0, 1000), lastSeqOf(0, 1000), firstSeqOf(3, 1000), lastSeqOf(3, 1000)]).toEqual([1, 1000, 3001, 4000]);
  });
  it('splits consecutive entries where they cross into the next segment, keeping their order', () => {
    const seqs = [196, 197, 198, 199, 200, 201, 202];
    expect(bySegment(seqs, (s) => segmentOf(s, 200))).toEqual([
      { segment: 0, items: [196, 197, 198, 199, 200] },
      { segment: 1, items: [201, 202] },
    ]);
    expect(bySegment([], (s: number) => segmentOf(s, 200))).toEqual([]);
  });
  it('names the segments a seq range touches, none for an empty range', () => {
    expect(segmentsBetween(150, 450, 200)).toEqual([0, 1, 2]);
    expect(segmentsBetween(0, 1, 200)).toEqual([0]);
    expect(segmentsBetween(10, 9, 200)).toEqual([]);
  });
});
