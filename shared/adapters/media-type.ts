import type { fileTypeFromBuffer as FileTypeFromBuffer } from 'file-type';

/**
 * Media type from magic bytes, with file-type (maintained, pure JavaScript, detects over a
 * hundred formats from their signatures, including executables and archives we refuse).
 * file-type is ESM-only: plain Node 20 require()s it, Jest in CommonJS mode cannot, so it is
 * loaded here on first use; a unit test that reaches this file mocks the module name with the
 * library running in a worker thread (test/unit/support/file-type-worker.ts).
 */
let detect: typeof FileTypeFromBuffer | undefined;

/** How many leading bytes detection is given: enough for every signature we care about. */
export const SNIFF_BYTES = 64 * 1024;

export async function mediaTypeFromMagic(head: Uint8Array): Promise<string | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  detect ??= (require('file-type') as typeof import('file-type')).fileTypeFromBuffer;
  try {
    return (await detect(head))?.mime;
  } catch {
    // A truncated or malformed header that a parser chokes on is "no known magic".
    return undefined;
  }
}
