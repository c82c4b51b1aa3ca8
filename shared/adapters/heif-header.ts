/**
 * The displayed size of a HEIC/HEIF image from its container (ISO/IEC 23008-12 over ISO BMFF),
 * without decoding it: sharp's prebuilt binaries carry no HEVC decoder, and an iPhone's photos
 * are HEIC. The primary item (`pitm`) and its properties (`iprp`: `ipco` listed, `ipma` tying
 * them to items) give its size (`ispe`) and rotation (`irot`). The item locations (`iloc`) are
 * checked against the file's length, so a cut-off upload is refused as a corrupt JPEG is.
 * Untrusted input: every read is bounds-checked, and what cannot be read is `undefined`.
 */

interface Box {
  type: string;
  /** Where its payload starts and ends in the buffer. */
  start: number;
  end: number;
}

/** More boxes than this in one list is not an image (a file of empty boxes would take a box each 8 bytes). */
const MAX_BOXES = 4096;

/**
 * The boxes laid end to end in `buf` from `start` to `end`; undefined when one overruns, or
 * there are too many. `slack`: bytes after the last box that are let be (a few at a file's end).
 */
function boxes(buf: Buffer, start: number, end: number, slack = 0): Box[] | undefined {
  const found: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    if (found.length === MAX_BOXES) return undefined;
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return undefined;
      const large = buf.readBigUInt64BE(at + 8);
      if (large > BigInt(end - at)) return undefined;
      size = Number(large);
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) return undefined;
    found.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return end - at <= slack ? found : undefined;
}

const child = (list: Box[] | undefined, type: string): Box | undefined => list?.find((b) => b.type === type);

/** Reads an unsigned integer of 0, 2, 4 or 8 bytes (ISO BMFF's variable-size fields). */
function uint(buf: Buffer, at: number, bytes: number): number {
  if (bytes === 0) return 0;
  if (bytes === 2) return buf.readUInt16BE(at);
  if (bytes === 4) return buf.readUInt32BE(at);
  if (bytes === 8) return Number(buf.readBigUInt64BE(at));
  throw new RangeError(`field of ${bytes} bytes`);
}

export interface HeifSize {
  width: number;
  height: number;
}

/**
 * The primary image's displayed size; null for a file that holds together but has no still
 * image (a sequence: its frames in a movie track, no primary item); undefined when the container
 * does not hold together.
 */
export function heifSize(buf: Buffer): HeifSize | null | undefined {
  try {
    const top = boxes(buf, 0, buf.length, 7);
    if (!top || top[0]?.type !== 'ftyp') return undefined;
    const meta = child(top, 'meta');
    if (!meta) return child(top, 'moov') ? null : undefined;
    const inMeta = boxes(buf, meta.start + 4, meta.end);
    const pitm = child(inMeta, 'pitm');
    const iprp = child(inMeta, 'iprp');
    const iloc = child(inMeta, 'iloc');
    if (!pitm || !iprp || !iloc || !locationsFit(buf, iloc)) return undefined;
    const primary = buf[pitm.start] === 0 ? buf.readUInt16BE(pitm.start + 4) : buf.readUInt32BE(pitm.start + 4);
    const inIprp = boxes(buf, iprp.start, iprp.end);
    const ipco = child(inIprp, 'ipco');
    const properties = ipco && boxes(buf, ipco.start, ipco.end);
    const ipmas = inIprp?.filter((b) => b.type === 'ipma') ?? [];
    if (!properties || !ipmas.length) return undefined;
    const own = ipmas.flatMap((ipma) => associations(buf, ipma, primary)).map((i) => properties[i - 1]);
    const ispe = own.find((p) => p?.type === 'ispe');
    if (!ispe || ispe.end - ispe.start < 12) return undefined;
    const width = buf.readUInt32BE(ispe.start + 4);
    const height = buf.readUInt32BE(ispe.start + 8);
    if (!width || !height) return undefined;
    const irot = own.find((p) => p?.type === 'irot');
    const quarterTurns = irot && irot.end > irot.start ? buf[irot.start]! & 3 : 0;
    return quarterTurns % 2 ? { width: height, height: width } : { width, height };
  } catch {
    // A read past the end of a field (RangeError): not a container that holds together.
    return undefined;
  }
}

/** The 1-based indices in `ipco` of the properties `ipma` ties to `item`. */
function associations(buf: Buffer, ipma: Box, item: number): number[] {
  const version = buf[ipma.start]!;
  const wide = (buf.readUInt32BE(ipma.start) & 1) === 1;
  let at = ipma.start + 4;
  const count = buf.readUInt32BE(at);
  at += 4;
  for (let e = 0; e < count && at < ipma.end; e += 1) {
    const id = version < 1 ? buf.readUInt16BE(at) : buf.readUInt32BE(at);
    at += version < 1 ? 2 : 4;
    const n = buf[at]!;
    at += 1;
    const indices: number[] = [];
    for (let k = 0; k < n; k += 1) {
      indices.push(wide ? buf.readUInt16BE(at) & 0x7fff : buf[at]! & 0x7f);
      at += wide ? 2 : 1;
    }
    if (id === item) return indices;
  }
  return [];
}

/** Field sizes an `iloc` may give, in bytes. */
const FIELD_SIZES = new Set([0, 4, 8]);

/** Whether every extent stored at a file offset (construction method 0) lies within the file. */
function locationsFit(buf: Buffer, iloc: Box): boolean {
  const version = buf[iloc.start]!;
  let at = iloc.start + 4;
  const sizes = buf.readUInt16BE(at);
  at += 2;
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 15;
  const baseOffsetSize = (sizes >> 4) & 15;
  const indexSize = version === 1 || version === 2 ? sizes & 15 : 0;
  if (![offsetSize, lengthSize, baseOffsetSize, indexSize].every((n) => FIELD_SIZES.has(n))) return false;
  const extentBytes = indexSize + offsetSize + lengthSize;
  const count = version < 2 ? buf.readUInt16BE(at) : buf.readUInt32BE(at);
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < count; i += 1) {
    // Each item takes some bytes of the box: one that claims more items than it holds stops here.
    if (at >= iloc.end) return false;
    at += version < 2 ? 2 : 4;
    let method = 0;
    if (version === 1 || version === 2) {
      method = buf.readUInt16BE(at) & 15;
      at += 2;
    }
    at += 2; // data_reference_index
    const base = uint(buf, at, baseOffsetSize);
    at += baseOffsetSize;
    const extents = buf.readUInt16BE(at);
    at += 2;
    if (at + extents * extentBytes > iloc.end) return false;
    if (method !== 0) {
      at += extents * extentBytes;
      continue;
    }
    // Extents of no bytes at all (every size 0) say nothing but the base.
    if (extentBytes === 0 && extents > 0 && base > buf.length) return false;
    for (let e = 0; e < extents && extentBytes > 0; e += 1) {
      at += indexSize;
      const offset = uint(buf, at, offsetSize);
      at += offsetSize;
      const length = uint(buf, at, lengthSize);
      at += lengthSize;
      // Length 0: to the end of the file.
      if (base + offset + length > buf.length) return false;
    }
  }
  return true;
}
