import { heifSize } from '../../../shared/adapters/heif-header';
import { heifFile } from '../../fixtures/heif-file';

describe('the size of a HEIC image, from its container', () => {
  it('is the primary item’s size, turned by its rotation', () => {
    expect(heifSize(heifFile({ width: 4032, height: 3024 }))).toEqual({ width: 4032, height: 3024 });
    expect(heifSize(heifFile({ width: 4032, height: 3024, quarterTurns: 1 }))).toEqual({ width: 3024, height: 4032 });
    expect(heifSize(heifFile({ width: 4032, height: 3024, quarterTurns: 2 }))).toEqual({ width: 4032, height: 3024 });
  });

  it('is nothing for a file cut off before its coded bytes end, or anywhere in its boxes', () => {
    const file = heifFile({ width: 640, height: 480 });
    expect(heifSize(file.subarray(0, file.length - 1))).toBeUndefined();
    for (let cut = 0; cut < file.length - 2000; cut += 7) expect(heifSize(file.subarray(0, cut))).toBeUndefined();
  });

  it('is nothing for bytes that are not a HEIF container, however they start', () => {
    const file = heifFile({ width: 640, height: 480 });
    expect(heifSize(Buffer.from('not an image at all'))).toBeUndefined();
    expect(heifSize(Buffer.concat([file.subarray(0, 24), Buffer.alloc(100)]))).toBeUndefined();
    // Every single byte of the header changed: never a throw, a size or nothing.
    for (let i = 0; i < file.length - 2000; i += 1) {
      const bad = Buffer.from(file);
      bad[i] = bad[i]! ^ 0xff;
      const size = heifSize(bad);
      if (size) expect(size.width * size.height).toBeGreaterThan(0);
    }
  });

  it('answers at once for hostile containers: item locations of empty extents, a flood of empty boxes', () => {
    const file = heifFile({ width: 640, height: 480 });
    // An iloc of 65,535 items of 65,535 extents of no bytes each (every field size 0).
    const items = Buffer.alloc(65_535 * 6);
    for (let i = 0; i < 65_535; i += 1) items.writeUInt16BE(65_535, i * 6 + 4);
    const iloc = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0xff, 0xff]), items]);
    const hostile = Buffer.concat([file.subarray(0, 24), box('meta', Buffer.alloc(4), box('pitm', Buffer.alloc(6)), box('iprp', box('ipco')), box('iloc', iloc))]);
    const flood = Buffer.concat([file.subarray(0, 24), Buffer.alloc(2 * 1024 * 1024).fill(Buffer.from([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65]))]);
    for (const bytes of [hostile, flood]) {
      const started = performance.now();
      expect(heifSize(bytes)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it('is null for a sequence (frames in a movie track, no still image), which holds together', () => {
    const ftyp = heifFile({ width: 1, height: 1 }).subarray(0, 24);
    expect(heifSize(Buffer.concat([ftyp, box('moov', Buffer.alloc(40))]))).toBeNull();
    expect(heifSize(Buffer.concat([ftyp, box('moov', Buffer.alloc(40))]).subarray(0, 50))).toBeUndefined();
  });
});

function box(type: string, ...parts: Buffer[]): Buffer {
  const payload = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + payload.length);
  return Buffer.concat([size, Buffer.from(type, 'latin1'), payload]);
}

