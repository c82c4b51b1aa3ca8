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
});
