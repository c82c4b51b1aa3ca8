import sharp, { type Metadata } from 'sharp';
import { DHASH_HEIGHT, DHASH_WIDTH } from '../domain/evidence/perceptual-hash';
import { heifSize } from './heif-header';

/**
 * Pixels of an image, with sharp (libvips: fast, small memory footprint, prebuilt binaries in
 * the npm package). Only what the locker needs: the displayed size, and the 9×8 greyscale
 * thumbnail the perceptual hash is computed from. Untrusted input: decoding stops at the first
 * error and at `MAX_PIXELS`.
 */
const MAX_PIXELS = 200_000_000;

export interface ImagePixels {
  width: number;
  height: number;
  /** 9×8 greyscale, row by row (72 bytes); null when the format cannot be decoded here. */
  thumbnail: Uint8Array | null;
}

export class UndecodableImageError extends Error {
  override name = 'UndecodableImageError';
}

/**
 * `decodable`: pixels sharp can decode (JPEG, PNG, WebP); otherwise a HEIC, whose size is read
 * from its container (heif-header.ts) and which gets no thumbnail.
 */
export async function imagePixels(bytes: Buffer, decodable: boolean): Promise<ImagePixels | null> {
  if (!decodable) {
    const size = heifSize(bytes);
    if (size === undefined) throw new UndecodableImageError('The HEIF container does not hold together (cut off, or not one).');
    // A sequence (frames in a movie track) has no one still image to measure.
    return size && { ...size, thumbnail: null };
  }
  const options = { failOn: 'error' as const, limitInputPixels: MAX_PIXELS };
  let meta: Metadata;
  try {
    meta = await sharp(bytes, options).metadata();
  } catch (error) {
    throw new UndecodableImageError(error instanceof Error ? error.message : String(error));
  }
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  try {
    const thumbnail = await sharp(bytes, options)
      .autoOrient()
      .greyscale()
      .resize(DHASH_WIDTH, DHASH_HEIGHT, { fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer();
    return { width: oriented.width, height: oriented.height, thumbnail: new Uint8Array(thumbnail) };
  } catch (error) {
    throw new UndecodableImageError(error instanceof Error ? error.message : String(error));
  }
}
