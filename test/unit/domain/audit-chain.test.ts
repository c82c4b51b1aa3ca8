import {
  ChainVerifier,
  GENESIS_HASH,
  hashEntry,
  sealEntry,
  verifyChain,
  type AuditDraft,
  type AuditEntry,
} from '../../../shared/domain/audit-chain';
import { canonicalJson } from '../../../shared/domain/canonical-json';
import { createHash } from 'node:crypto';

const draft = (n: number): AuditDraft => ({
  actor: { sub: `user-${n}`, org: 'ret-a', roles: ['Investigator'] },
  action: 'event.read',
  target: { type: 'event', id: `evt-${n}` },
  outcome: 'success',
  requestId: `req-${n}`,
  details: { n },
});

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const e = sealEntry(draft(seq), seq, prev, new Date(Date.UTC(2026, 10, 1, 0, 0, seq)));
    entries.push(e);
    prev = e.hash;
  }
  return entries;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}',
    );
  });
  it('is independent of insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('hash', () => {
  it('is SHA-256 of prevHash followed by the canonical entry without hash', () => {
    const [first] = chain(1);
    const { hash, ...rest } = first!;
    const expected = createHash('sha256').update(GENESIS_HASH + canonicalJson(rest)).digest('hex');
    expect(hash).toBe(expected);
    expect(hashEntry(rest)).toBe(expected);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain', () => {
    expect(verifyChain(chain(20))).toEqual({ ok: true, entries: 20, firstBadSeq: null });
  });
  it('finds a changed detail', () => {
    const entries = chain(10);
    entries[4] = { ...entries[4]!, details: { n: 999 } };
    expect(verifyChain(entries)).toEqual({ ok: false, entries: 10, firstBadSeq: 5 });
  });
  it('finds a removed entry, reporting the seq that is gone', () => {
    const entries = chain(10);
    entries.splice(6, 1);
    expect(verifyChain(entries).firstBadSeq).toBe(7);
  });
  it('finds two entries swapped', () => {
    const entries = chain(10);
    [entries[4], entries[5]] = [entries[5]!, entries[4]!];
    expect(verifyChain(entries).firstBadSeq).toBe(5);
  });
  it('finds an inserted entry that links correctly to the one before it', () => {
    const entries = chain(10);
    const forged = sealEntry(draft(99), 5, entries[3]!.hash, new Date(Date.UTC(2026, 10, 1, 0, 0, 5)));
    entries.splice(4, 0, forged);
    expect(verifyChain(entries).firstBadSeq).toBe(5);
  });
  it('finds an entry re-hashed after a change (the next link breaks)', () => {
    const entries = chain(10);
    const { hash: _old, ...rest } = { ...entries[2]!, outcome: 'denied' as const };
    entries[2] = { ...rest, hash: hashEntry(rest) };
    expect(verifyChain(entries).firstBadSeq).toBe(4);
  });
  it('finds a chain that does not start at genesis when it should', () => {
    expect(verifyChain(chain(5).slice(1)).firstBadSeq).toBe(1);
  });
  it('finds a first entry whose prevHash is not the genesis hash', () => {
    const [first] = chain(1);
    const { hash: _h, ...rest } = { ...first!, prevHash: 'f'.repeat(64) };
    const v = new ChainVerifier(true);
    v.push({ ...rest, hash: hashEntry(rest) });
    expect(v.failure()).toEqual({ seq: 1, reason: 'genesis' });
  });
  it('accepts a range that starts mid-chain when told so', () => {
    expect(verifyChain(chain(10).slice(3), false)).toEqual({ ok: true, entries: 7, firstBadSeq: null });
  });
  it('counts a malformed entry as the break after the last good one', () => {
    const v = new ChainVerifier(true);
    for (const e of chain(3)) v.push(e);
    v.pushMalformed();
    expect(v.verdict()).toEqual({ ok: false, entries: 4, firstBadSeq: 4 });
    expect(v.failure()).toEqual({ seq: 4, reason: 'malformed' });
  });
  it('names the reason of the first break only', () => {
    const entries = chain(10);
    entries[2] = { ...entries[2]!, action: 'event.update' };
    entries.splice(7, 1);
    const v = new ChainVerifier(true);
    for (const e of entries) v.push(e);
    expect(v.failure()).toEqual({ seq: 3, reason: 'hash' });
    expect(v.verdict()).toEqual({ ok: false, entries: 9, firstBadSeq: 3 });
  });
  it('reports a seq the store no longer has as missing', () => {
    const entries = chain(6);
    const v = new ChainVerifier(true);
    for (const e of entries.slice(0, 3)) v.push(e);
    v.pushMissing(4);
    for (const e of entries.slice(4)) v.push(e);
    expect(v.failure()).toEqual({ seq: 4, reason: 'missing' });
    expect(v.verdict()).toEqual({ ok: false, entries: 5, firstBadSeq: 4 });
  });
  it('says why: a link broken by a re-hashed earlier entry', () => {
    const entries = chain(5);
    const { hash: _old, ...rest } = { ...entries[1]!, outcome: 'denied' as const };
    entries[1] = { ...rest, hash: hashEntry(rest) };
    const v = new ChainVerifier(true);
    for (const e of entries) v.push(e);
    expect(v.failure()).toEqual({ seq: 3, reason: 'link' });
  });
});
