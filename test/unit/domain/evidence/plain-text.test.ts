import { PlainTextCheck } from '../../../../shared/domain/evidence/plain-text';

function check(...chunks: (string | number[])[]): boolean {
  const t = new PlainTextCheck();
  for (const c of chunks) t.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Uint8Array.from(c));
  return t.isText();
}

describe('PlainTextCheck', () => {
  it('accepts UTF-8 text, a BOM, and a multi-byte character split across chunks', () => {
    expect(check('Statement of the witness.\nI saw him leave.\n')).toBe(true);
    expect(check([0xef, 0xbb, 0xbf], 'with BOM')).toBe(true);
    const euro = [...Buffer.from('€')];
    expect(check('price ', euro.slice(0, 1), euro.slice(1), ' 5')).toBe(true);
  });
  it('refuses a NUL byte, invalid UTF-8, and text cut inside a character', () => {
    expect(check('abc', [0], 'def')).toBe(false);
    expect(check([0xc3, 0x28])).toBe(false);
    expect(check('ok', [0xe2, 0x82])).toBe(false);
    expect(check([0xff, 0xfe, 0x41, 0x00])).toBe(false);
  });
  it('stops looking once it has seen non-text', () => {
    const t = new PlainTextCheck();
    t.push(Uint8Array.from([0]));
    expect(t.possible).toBe(false);
    t.push(Buffer.from('fine'));
    expect(t.isText()).toBe(false);
  });
});
