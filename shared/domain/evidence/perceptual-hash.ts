/** Width and height of the greyscale image a dHash is computed from: 9 columns give 8 differences per row. */
export const DHASH_WIDTH = 9;
export const DHASH_HEIGHT = 8;

/**
 * 64-bit difference hash (dHash) of a 9×8 greyscale image given as 72 bytes, row by row: bit
 * i (most significant first) is set when a pixel is brighter than its right-hand neighbour.
 * Returned as 16 lower-case hex characters. Visually similar images (re-encoded, resized,
 * slightly brightened) give hashes a small Hamming distance apart.
 */
export function dHash(pixels: Uint8Array): string {
  if (pixels.length !== DHASH_WIDTH * DHASH_HEIGHT) {
    throw new RangeError(`dHash needs ${DHASH_WIDTH * DHASH_HEIGHT} greyscale pixels, got ${pixels.length}.`);
  }
  let hex = '';
  for (let y = 0; y < DHASH_HEIGHT; y++) {
    let byte = 0;
    for (let x = 0; x < DHASH_WIDTH - 1; x++) {
      const left = pixels[y * DHASH_WIDTH + x]!;
      const right = pixels[y * DHASH_WIDTH + x + 1]!;
      byte = (byte << 1) | (left > right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Number of differing bits between two 16-hex-character hashes. */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/.test(a) || !/^[0-9a-f]{16}$/.test(b)) throw new RangeError('Hashes are 16 hex characters.');
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}
