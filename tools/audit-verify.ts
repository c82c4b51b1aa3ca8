/**
 * `npm run -s audit:verify -- <export.jsonl> [--first <seq>] [--last <seq>] [--digests <file>]... [--org <id>]`
 *
 * Verifies an audit export offline (GET /api/v1/audit/export?format=jsonl), streaming it, so
 * an export of any length fits. Prints one line: `ok …` and exit 0, or `broken …` with the first
 * bad seq and exit 1. Bad usage or an unreadable file: one line on stderr, exit 2.
 *
 * `--first`/`--last`: the seqs the export must start and end at (its x-audit-first-seq and
 * x-audit-last-seq headers), which catches lines cut off either end. `--digests`: digest
 * blobs of the chain (audit-digests/<orgId>/<yyyy>.jsonl); every digested seq in the file must
 * carry the digested hash, which catches a history rewritten and re-hashed before export.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDigestLines, type DigestRecord } from '../shared/domain/audit-digest';
import { fileLines, verifyExportLines, type ExportCheckOptions } from './audit/verify-export';

const USAGE = 'usage: npm run -s audit:verify -- <export.jsonl> [--first <seq>] [--last <seq>] [--digests <file>]... [--org <id>]';

class UsageError extends Error {}

function seqOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number ≥ 1`);
  return n;
}

function parse(argv: string[]): { file: string; options: ExportCheckOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        first: { type: 'string' },
        last: { type: 'string' },
        digests: { type: 'string', multiple: true },
        org: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('give exactly one export file');
  const file = positionals[0]!;
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const options: ExportCheckOptions = {};
  const first = seqOption('first', values.first);
  const last = seqOption('last', values.last);
  if (first !== undefined) options.first = first;
  if (last !== undefined) options.last = last;
  if (values.digests?.length) {
    const records: DigestRecord[] = [];
    for (const path of values.digests) {
      if (!existsSync(path)) throw new UsageError(`no such digest file: ${path}`);
      const { records: found, unreadable } = parseDigestLines(readFileSync(path, 'utf8'));
      if (unreadable > 0) throw new UsageError(`${path}: ${unreadable} line(s) are not digest records`);
      records.push(...found);
    }
    const orgs = [...new Set(records.map((r) => r.orgId))];
    const orgId = values.org ?? (orgs.length === 1 ? orgs[0] : undefined);
    if (!orgId) throw new UsageError(`the digests name ${orgs.length} chains: say which with --org`);
    options.digests = { orgId, records };
  }
  return { file, options };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  const result = await verifyExportLines(fileLines(args.file), args.options);
  const digests = args.options.digests ? `, ${result.digestsChecked} digest(s) checked` : '';
  if (result.ok) {
    const span = result.firstSeq === null ? 'no entries' : `seq ${result.firstSeq}–${result.lastSeq}, last hash ${result.lastHash}`;
    process.stdout.write(`ok: ${result.entries} entries, ${span}${digests}\n`);
    return 0;
  }
  const where = result.line === null ? '' : ` (line ${result.line})`;
  process.stdout.write(`broken: first bad seq ${result.firstBadSeq}: ${describe(result.reason)}${where}; ${result.entries} entries read${digests}\n`);
  return 1;
}

function describe(reason: string | null): string {
  switch (reason) {
    case 'hash':
      return 'the entry does not hash to its recorded hash (changed)';
    case 'link':
      return 'its prevHash is not the previous entry’s hash (an earlier entry was changed and re-hashed, or this one was inserted)';
    case 'seq':
      return 'the seq run jumps or repeats there (removed, reordered or inserted entries)';
    case 'genesis':
      return 'seq 1 does not start from the genesis hash';
    case 'malformed':
      return 'the line is not an audit entry';
    case 'range':
      return 'the export does not cover the expected seqs (entries cut off its start or end)';
    case 'digest':
      return 'the chain differs from its digest at or before this seq (rewritten history)';
    default:
      return 'broken';
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
