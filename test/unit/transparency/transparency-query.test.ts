import { PublicTransparencyQuerySchema, TransparencyQuerySchema } from '../../../shared/domain/transparency';

// A fifth audit: an offset was read as text (December's requests dropped), impossible dates and hexadecimal years answered 200.
describe('transparency queries', () => {
  test.each([
    ['2026-11', '2026-11'],
    ['2026-11-03', '2026-11'],
    ['2026-11-30T23:59:59Z', '2026-11'],
    ['2026-11-30T20:00:00-05:00', '2026-12'],
    ['2026-12-01T08:00:00+13:00', '2026-11'],
  ])('%s counts in the UTC month %s', (to, month) => {
    expect(TransparencyQuerySchema.parse({ to })).toEqual({ to: month });
  });

  test.each(['2026-02-30', '2026-12-01T99:99', '2026-13', '2026-11-03T10:00:00', '26-11', ''])('%s is refused', (from) => {
    expect(TransparencyQuerySchema.safeParse({ from }).success).toBe(false);
  });

  test.each(['0x7EA', '2e3', '2026.0', ' 2026', '1999', '20261'])('year %s is refused', (year) => {
    expect(PublicTransparencyQuerySchema.safeParse({ year }).success).toBe(false);
  });

  test('four digits are a year', () => {
    expect(PublicTransparencyQuerySchema.parse({ year: '2026' })).toEqual({ year: 2026 });
    expect(PublicTransparencyQuerySchema.parse({})).toEqual({});
  });
});
