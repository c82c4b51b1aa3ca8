import { GENESIS_HASH, sealEntry, type AuditEntry } from '../../../shared/domain/audit-chain';
import {
  DigestCheck,
  digestLine,
  digestRecordFor,
  parseDigestLines,
  withDigests,
  type DigestRecord,
} from '../../../shared/domain/audit-digest';

function chain(length: number, variant = ''): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const e = sealEntry(
      {
        actor: { sub: `u${variant}`, org: 'ret-a', roles: ['Investigator'] },
        action: 'event.read',
        target: { type: 'event', id: `evt-${seq}` },
        outcome: 'success',
        requestId: `r-${seq}`,
      },
      seq,
      prev,
      new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
    );
    entries.push(e);
    prev = e.hash;
  }
  return entries;
}

const at = new Date(Date.UTC(2026, 0, 2));
const digestOf = (e: AuditEntry, orgId = 'ret-a'): DigestRecord => digestRecordFor(orgId, e, at);

function check(entries: AuditEntry[], records: DigestRecord[], run = { firstSeq: 1, lastSeq: null as number | null }, endSeq?: number) {
  const c = new DigestCheck(records, { orgId: 'ret-a', ...run });
  for (const e of entries) c.see(e);
  return c.verdict(endSeq);
}

describe('digest records', () => {
  it('are one JSON line each and parse back; junk lines are counted, not thrown', () => {
    const e = chain(3)[2]!;
    const record = digestOf(e);
    expect(record).toEqual({ v: 1, orgId: 'ret-a', seq: 3, hash: e.hash, at: e.at, digestedAt: at.toISOString() });
    const text = `${digestLine(record)}not json\n{"v":2}\n\n${digestLine(record)}`;
    expect(parseDigestLines(text)).toEqual({ records: [record, record], unreadable: 2 });
  });
});

describe('DigestCheck', () => {
  const original = chain(40);

  it('passes a chain that matches every digest in the run', () => {
    expect(check(original, [digestOf(original[15]!), digestOf(original[31]!)])).toEqual({ checked: 2, firstBadSeq: null });
  });

  it('finds a history rewritten and re-hashed consistently at the first digested seq it contradicts', () => {
    // Entries from seq 20 on were rewritten and every later hash recomputed: the chain alone verifies.
    const rewritten = [...original.slice(0, 19), ...chain(40, 'x').slice(19)];
    const records = [digestOf(original[15]!), digestOf(original[31]!), digestOf(original[39]!)];
    expect(check(rewritten, records)).toEqual({ checked: 3, firstBadSeq: 32 });
  });

  it('finds a tail cut off after a digest was taken (open end)', () => {
    expect(check(original.slice(0, 30), [digestOf(original[35]!)])).toEqual({ checked: 1, firstBadSeq: 31 });
  });

  it('finds every entry gone', () => {
    expect(check([], [digestOf(original[4]!)])).toEqual({ checked: 1, firstBadSeq: 1 });
  });

  it('ignores digests outside a closed run, and of other chains', () => {
    const records = [digestOf(original[4]!), digestOf(original[35]!), { ...digestOf(original[10]!), orgId: 'ret-b', hash: 'f'.repeat(64) }];
    expect(check(original.slice(9, 30), records, { firstSeq: 10, lastSeq: 30 })).toEqual({ checked: 0, firstBadSeq: null });
  });

  it('stops at the end of the file when told where the run ends', () => {
    expect(check(original.slice(0, 30), [digestOf(original[9]!), digestOf(original[35]!)], undefined, 30)).toEqual({
      checked: 1,
      firstBadSeq: null,
    });
  });

  it('catches two digests of one seq that disagree (rewritten between digests)', () => {
    const other = { ...digestOf(original[9]!), hash: 'a'.repeat(64) };
    expect(check(original, [digestOf(original[9]!), other])).toEqual({ checked: 1, firstBadSeq: 10 });
  });
});

describe('withDigests', () => {
  it('takes the earliest break of chain and digests', () => {
    expect(withDigests({ ok: false, entries: 9, firstBadSeq: 7 }, { checked: 2, firstBadSeq: 5 })).toEqual({
      ok: false,
      entries: 9,
      firstBadSeq: 5,
      digestsChecked: 2,
    });
    expect(withDigests({ ok: true, entries: 9, firstBadSeq: null }, { checked: 0, firstBadSeq: null })).toMatchObject({
      ok: true,
      firstBadSeq: null,
    });
  });
});
