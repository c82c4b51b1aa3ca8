import { z } from 'zod';
import type { AuditEntry } from './audit-chain';
import { canonicalJson } from './canonical-json';

/**
 * How an audit export is written, one entry at a time.
 *
 * - `jsonl`: one entry per line, exactly the fields the hash covers, so the file can be
 *   verified offline (`npm run -s audit:verify`). Lossless.
 * - `csv`: RFC 4180 (header row, CRLF line ends, fields with a comma, quote or line break
 *   quoted, quotes doubled) for people and spreadsheets. `details` is its canonical JSON. A
 *   text cell a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
 *   leading apostrophe, so CSV is for reading; JSONL is the file to verify.
 */
export const ExportFormatSchema = z.enum(['jsonl', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export function jsonlLine(entry: AuditEntry): string {
  const { seq, at, actor, action, target, outcome, requestId, details, prevHash, hash } = entry;
  return `${JSON.stringify({ seq, at, actor, action, target, outcome, requestId, details, prevHash, hash })}\n`;
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'actor_sub',
  'actor_org',
  'actor_roles',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'request_id',
  'details',
  'prev_hash',
  'hash',
] as const;

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

export function csvRow(entry: AuditEntry): string {
  const cells: (string | number)[] = [
    entry.seq,
    entry.at,
    entry.actor.sub,
    entry.actor.org ?? '',
    entry.actor.roles.join(' '),
    entry.action,
    entry.target.type,
    entry.target.id,
    entry.outcome,
    entry.requestId,
    canonicalJson(entry.details),
    entry.prevHash,
    entry.hash,
  ];
  return `${cells.map(csvField).join(',')}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field. Numbers are written as they are; text is defused against formula injection. */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
