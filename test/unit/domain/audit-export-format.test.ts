import { GENESIS_HASH, hashEntry, sealEntry, type AuditEntry } from '../../../shared/domain/audit-chain';
import { CSV_COLUMNS, CSV_HEADER, csvField, csvRow, jsonlLine } from '../../../shared/domain/audit-export-format';
import { auditRangeQuery } from '../../../shared/domain/audit-range';
import { EventListQuerySchema } from '../../../shared/domain/events/event-list';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => {
  const e = sealEntry(
    {
      actor: { sub: 'user-1', org: 'ret-a', roles: ['Investigator', 'Compliance'] },
      action: 'event.read',
      target: { type: 'event', id: 'evt-1' },
      outcome: 'success',
      requestId: 'req-1',
      details: { note: 'a, "b"\nc', count: 2 },
    },
    7,
    GENESIS_HASH,
    new Date(Date.UTC(2026, 10, 1)),
  );
  return { ...e, ...overrides };
};

/** A small RFC 4180 reader: enough to prove the writer's quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

describe('JSONL lines', () => {
  it('hold exactly the hashed fields, one line per entry, and re-hash to the same value', () => {
    const e = { ...entry(), orgId: 'ret-a', id: 'entry:7', _etag: 'x' } as AuditEntry;
    const line = jsonlLine(e);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const parsed = JSON.parse(line) as AuditEntry;
    expect(Object.keys(parsed)).toEqual(['seq', 'at', 'actor', 'action', 'target', 'outcome', 'requestId', 'details', 'prevHash', 'hash']);
    const { hash, ...rest } = parsed;
    expect(hashEntry(rest)).toBe(hash);
  });
});

describe('CSV rows (RFC 4180)', () => {
  it('has a header naming every column and ends lines with CRLF', () => {
    expect(CSV_HEADER).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(csvRow(entry()).endsWith('\r\n')).toBe(true);
  });
  it('quotes commas, quotes and line breaks, and round-trips through a CSV reader', () => {
    const e = entry({ target: { type: 'event', id: 'id,with "quotes"\r\nand lines' } });
    const [header, row] = parseCsv(CSV_HEADER + csvRow(e));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(row).toHaveLength(CSV_COLUMNS.length);
    const cell = (name: (typeof CSV_COLUMNS)[number]) => row![CSV_COLUMNS.indexOf(name)];
    expect(cell('target_id')).toBe('id,with "quotes"\r\nand lines');
    expect(JSON.parse(cell('details')!)).toEqual({ count: 2, note: 'a, "b"\nc' });
    expect(cell('actor_roles')).toBe('Investigator Compliance');
    expect(cell('seq')).toBe('7');
    expect(cell('actor_org')).toBe('ret-a');
    expect(cell('hash')).toBe(e.hash);
  });
  it('writes a missing actor organisation as an empty cell', () => {
    const row = parseCsv(csvRow(entry({ actor: { sub: 'platform', org: null, roles: ['PlatformAdmin'] } })))[0]!;
    expect(row[CSV_COLUMNS.indexOf('actor_org')]).toBe('');
  });
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['plain', 'plain'],
    ['', ''],
  ])('defuses %j as a spreadsheet formula', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
  it('writes numbers as they are', () => {
    expect(csvField(-5)).toBe('-5');
  });
});

describe('the audit range query', () => {
  const schema = auditRangeQuery({});
  it('accepts ISO times with any offset, in order', () => {
    expect(schema.safeParse({ from: '2026-01-01T00:00:00+13:00', to: '2026-01-01T00:00:00Z' }).success).toBe(true);
  });
  it('takes a date alone as that whole UTC day, as the other ranges of the API do (third audit of December)', () => {
    expect(schema.parse({ from: '2026-12-01', to: '2026-12-01' })).toEqual({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T23:59:59.999Z' });
    expect(EventListQuerySchema.parse({ from: '2026-12-01', to: '2026-12-02' })).toMatchObject({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T23:59:59.999Z' });
    expect(EventListQuerySchema.safeParse({ from: '2026-12-02', to: '2026-12-01' }).success).toBe(false);
    expect(schema.safeParse({ from: '2026-13-01' }).success).toBe(false);
  });
  it('refuses `to` before `from`, naming `to`', () => {
    const r = schema.safeParse({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['to']);
  });
  it('refuses unknown parameters and non-ISO times', () => {
    expect(schema.safeParse({ since: 'x' }).success).toBe(false);
    expect(schema.safeParse({ from: 'yesterday' }).success).toBe(false);
  });
});
