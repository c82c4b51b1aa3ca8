import { GENESIS_HASH, hashEntry, sealEntry, type AuditEntry } from '../../../shared/domain/audit-chain';
import { digestRecordFor } from '../../../shared/domain/audit-digest';
import { jsonlLine } from '../../../shared/domain/audit-export-format';
import { verifyExportLines, type ExportCheckOptions } from '../../../tools/audit/verify-export';

function chain(length: number, from = 1): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq < from + length; seq += 1) {
    const e = sealEntry(
      {
        actor: { sub: 'comp-1', org: 'ret-a', roles: ['Compliance'] },
        action: 'event.read',
        target: { type: 'event', id: `evt-${seq}` },
        outcome: 'success',
        requestId: `r-${seq}`,
        details: { n: seq },
      },
      seq,
      prev,
      new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
    );
    if (seq >= from) entries.push(e);
    prev = e.hash;
  }
  return entries;
}

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) yield line;
}

const file = (entries: AuditEntry[]): string => entries.map(jsonlLine).join('');
const run = (text: string, options?: ExportCheckOptions) => verifyExportLines(linesOf(text), options);

describe('offline verification of a JSONL export', () => {
  const entries = chain(12);

  it('accepts an untouched export and reports its span and last hash', async () => {
    expect(await run(file(entries))).toMatchObject({
      ok: true,
      entries: 12,
      firstSeq: 1,
      lastSeq: 12,
      lastHash: entries[11]!.hash,
      firstBadSeq: null,
    });
  });

  it('accepts a range export that starts mid-chain', async () => {
    expect(await run(file(chain(5, 6)))).toMatchObject({ ok: true, entries: 5, firstSeq: 6, lastSeq: 10 });
  });

  it('finds a changed field', async () => {
    const changed = entries.map((e) => (e.seq === 5 ? { ...e, outcome: 'denied' as const } : e));
    expect(await run(file(changed))).toMatchObject({ ok: false, firstBadSeq: 5, reason: 'hash', line: 5 });
  });

  it('finds a changed entry that was re-hashed (the next link breaks)', async () => {
    const changed = entries.map((e) => {
      if (e.seq !== 5) return e;
      const { hash: _h, ...rest } = { ...e, action: 'event.update' };
      return { ...rest, hash: hashEntry(rest) };
    });
    expect(await run(file(changed))).toMatchObject({ ok: false, firstBadSeq: 6, reason: 'link' });
  });

  it('finds a removed entry', async () => {
    expect(await run(file(entries.filter((e) => e.seq !== 7)))).toMatchObject({ ok: false, firstBadSeq: 7, reason: 'seq' });
  });

  it('finds reordered entries', async () => {
    const reordered = [...entries];
    [reordered[3], reordered[4]] = [reordered[4]!, reordered[3]!];
    expect(await run(file(reordered))).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'seq' });
  });

  it('finds an inserted entry', async () => {
    const forged = sealEntry({ ...entries[8]!, details: { n: 999 } }, 9, entries[7]!.hash, new Date());
    const inserted = [...entries.slice(0, 8), forged, ...entries.slice(8)];
    expect(await run(file(inserted))).toMatchObject({ ok: false, firstBadSeq: 9, reason: 'seq' });
  });

  it('finds a removed first entry of a full export when told where it starts', async () => {
    const text = file(entries.slice(1));
    expect((await run(text)).ok).toBe(true); // on its own the file looks like a range export
    expect(await run(text, { first: 1 })).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('finds entries cut off the end when told where it ends', async () => {
    expect(await run(file(entries.slice(0, 10)), { last: 12 })).toMatchObject({ ok: false, firstBadSeq: 11, reason: 'range' });
  });

  it('finds a line that is not an entry', async () => {
    const lines = file(entries).split('\n');
    lines[3] = '{"seq": 4, "oops": true}';
    expect(await run(lines.join('\n'))).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'malformed', line: 4 });
  });

  it('checks the file against digests: a history rewritten and re-hashed before export', async () => {
    const rewritten = chain(12).map((e) => e);
    // Rewrite from seq 3 on, recomputing every hash: the file alone verifies.
    let prev = rewritten[1]!.hash;
    for (let i = 2; i < rewritten.length; i += 1) {
      const { hash: _h, ...rest } = { ...rewritten[i]!, prevHash: prev, requestId: 'forged' };
      rewritten[i] = { ...rest, hash: hashEntry(rest) };
      prev = rewritten[i]!.hash;
    }
    expect((await run(file(rewritten))).ok).toBe(true);
    const digests = { orgId: 'ret-a', records: [digestRecordFor('ret-a', entries[7]!, new Date())] };
    expect(await run(file(rewritten), { digests })).toMatchObject({ ok: false, firstBadSeq: 8, reason: 'digest', digestsChecked: 1 });
    expect(await run(file(entries), { digests })).toMatchObject({ ok: true, digestsChecked: 1 });
  });

  it('accepts CRLF line ends and a trailing blank line', async () => {
    expect(await run(`${file(entries).replace(/\n/g, '\r\n')}\r\n`)).toMatchObject({ ok: true, entries: 12 });
  });
});
