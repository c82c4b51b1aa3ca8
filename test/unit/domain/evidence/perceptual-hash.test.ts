import { dHash, hammingDistance } from '../../../../shared/domain/evidence/perceptual-hash';

const image = (f: (x: number, y: number) => number) => Uint8Array.from({ length: 72 }, (_, i) => f(i % 9, Math.floor(i / 9)));

describe('dHash', () => {
  it('is 0 for a flat image and all ones for a left-to-right falling ramp', () => {
    expect(dHash(image(() => 128))).toBe('0000000000000000');
    expect(dHash(image((x) => 255 - x * 20))).toBe('ffffffffffffffff');
    expect(dHash(image((x) => x * 20))).toBe('0000000000000000');
  });
  it('puts row 0 in the first byte, most significant bit first', () => {
    const px = image(() => 0);
    px[0] = 10; // row 0: pixel 0 brighter than pixel 1 → top bit of byte 0
    px[9 * 7 + 7] = 10; // row 7: pixel 7 brighter than pixel 8 → lowest bit of byte 7
    expect(dHash(px)).toBe('8000000000000001');
  });
  it('ignores a uniform brightness change', () => {
    const f = (x: number, y: number) => (x * 37 + y * 11) % 200;
    expect(dHash(image((x, y) => f(x, y) + 40))).toBe(dHash(image(f)));
  });
  it('needs exactly 72 pixels', () => {
    expect(() => dHash(new Uint8Array(71))).toThrow(RangeError);
  });
});

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('0123456789abcdef', '0123456789abcdef')).toBe(0);
  });
});
