import { PlainTextCheck, sniffBeforeSignatures } from '../../../../shared/domain/evidence/plain-text';

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
    expect(check([0x41, 0x00, 0x42, 0x00])).toBe(false);
  });
  it('accepts UTF-16 after its byte-order mark, either way round, split anywhere (a statement saved by Notepad; first audit of December)', () => {
    const le = [...Buffer.from('\ufeffhello witness statement €', 'utf16le')];
    expect(le.slice(0, 2)).toEqual([0xff, 0xfe]);
    expect(check(le)).toBe(true);
    expect(check(le.slice(0, 7), le.slice(7))).toBe(true);
    const be = [...Buffer.from('\ufeffhello', 'utf16le').swap16()];
    expect(be.slice(0, 2)).toEqual([0xfe, 0xff]);
    expect(check(be)).toBe(true);
    // Cut inside a code unit, a lone surrogate, or a NUL character: not text.
    expect(check(le.slice(0, -1))).toBe(false);
    expect(check([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00])).toBe(false);
    expect(check([0xff, 0xfe, 0x41, 0x00, 0x00, 0x00])).toBe(false);
  });
  it('names what signature libraries misread or do not name: UTF-16 is text, a "#!" script an executable', () => {
    expect(sniffBeforeSignatures(Uint8Array.from([0xff, 0xfe, 0x41, 0x00]))).toBe('text');
    expect(sniffBeforeSignatures(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toEqual({ mediaType: 'text/x-shellscript' });
    expect(sniffBeforeSignatures(Buffer.from('Statement: # 1'))).toBeUndefined();
    expect(sniffBeforeSignatures(Uint8Array.from([0xff, 0xfb, 0x90]))).toBeUndefined();
  });
  it('stops looking once it has seen non-text', () => {
    const t = new PlainTextCheck();
    t.push(Uint8Array.from([0]));
    expect(t.possible).toBe(false);
    t.push(Buffer.from('fine'));
    expect(t.isText()).toBe(false);
  });
});
