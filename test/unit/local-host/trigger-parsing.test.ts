import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBlobPath } from '../../../tools/local-host/triggers/blob-path';
import { expandGlob } from '../../../tools/local-host/worker/glob';
import { durationMs, readHostJson } from '../../../tools/local-host/worker/host-json';
import { decodeQueueMessage, encodeQueueMessage } from '../../../tools/local-host/triggers/queue-message-encoding';
import { parseTimerSchedule } from '../../../tools/local-host/triggers/timer-schedule';
import { resolveSettingExpressions, storageConnectionString } from '../../../tools/local-host/worker/app-settings';

describe('blob trigger paths', () => {
  it('splits container, listing prefix and placeholders', () => {
    const pattern = parseBlobPath('images/raw/{folder}/{name}.{ext}');
    expect(pattern.container).toBe('images');
    expect(pattern.prefix).toBe('raw/');
    expect(pattern.match('raw/2024/cat.photo.jpg')).toEqual({ folder: '2024', name: 'cat.photo', ext: 'jpg' });
    expect(pattern.match('other/x.jpg')).toBeUndefined();
    expect(parseBlobPath('uploads/{name}').match('a/b.txt')).toEqual({ name: 'a/b.txt' });
  });

  it('binds every placeholder of a multi-part pattern', () => {
    expect(parseBlobPath('c/{folder}/{file}.{ext}').match('north/report.csv')).toEqual({
      folder: 'north',
      file: 'report',
      ext: 'csv',
    });
  });

  it('rejects paths without a container', () => {
    expect(() => parseBlobPath('{name}')).toThrow(/container/);
  });
});

describe('queue message encoding', () => {
  it('decodes base64 of UTF-8 and leaves other text alone', () => {
    expect(decodeQueueMessage(encodeQueueMessage('{"a":"ü"}'))).toBe('{"a":"ü"}');
    expect(decodeQueueMessage('plain text')).toBe('plain text');
    expect(decodeQueueMessage('test')).toBe('test'); // valid base64 alphabet, but not UTF-8 once decoded
    expect(decodeQueueMessage('')).toBe('');
  });
});

describe('timer schedules', () => {
  it('computes the next occurrence of a six-field NCRONTAB expression in UTC', () => {
    const schedule = parseTimerSchedule('0 */5 * * * *');
    expect(schedule.next(new Date('2024-03-01T10:02:30Z')).toISOString()).toBe('2024-03-01T10:05:00.000Z');
    expect(schedule.previous(new Date('2024-03-01T10:05:00Z'))?.toISOString()).toBe('2024-03-01T10:00:00.000Z');
  });

  it('accepts TimeSpan intervals', () => {
    expect(parseTimerSchedule('00:00:30').next(new Date('2024-03-01T10:00:00Z')).toISOString()).toBe('2024-03-01T10:00:30.000Z');
  });

  it('rejects five-field and invalid expressions', () => {
    expect(() => parseTimerSchedule('*/5 * * * *')).toThrow(/six fields/);
    expect(() => parseTimerSchedule('a b c d e f')).toThrow(/not a valid NCRONTAB/);
  });
});

describe('host.json and settings', () => {
  it('parses TimeSpans and milliseconds', () => {
    expect(durationMs('00:00:02')).toBe(2000);
    expect(durationMs('1.00:00:00.5')).toBe(86_400_500);
    expect(durationMs(1500)).toBe(1500);
    expect(durationMs('soon')).toBeUndefined();
  });

  it('reads routePrefix and queue settings with the runtime defaults', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'host-json-'));
    expect(readHostJson(dir)).toEqual({
      routePrefix: 'api',
      queues: { maxDequeueCount: 5, batchSize: 16, maxPollingIntervalMs: 2000, visibilityTimeoutMs: 0 },
    });
    writeFileSync(
      path.join(dir, 'host.json'),
      JSON.stringify({ extensions: { http: { routePrefix: '' }, queues: { maxDequeueCount: 2, maxPollingInterval: '00:00:01' } } }),
    );
    expect(readHostJson(dir)).toMatchObject({ routePrefix: '', queues: { maxDequeueCount: 2, maxPollingIntervalMs: 1000 } });
  });

  it('resolves %NAME% expressions and storage connections', () => {
    expect(resolveSettingExpressions('%Q%-items', { Q: 'work' })).toBe('work-items');
    expect(() => resolveSettingExpressions('%MISSING%', {})).toThrow(/MISSING/);
    expect(storageConnectionString(undefined, { AzureWebJobsStorage: 'cs' }, 'f')).toBe('cs');
    expect(storageConnectionString('Other', { AzureWebJobsOther: 'cs2' }, 'f')).toBe('cs2');
    expect(() => storageConnectionString('Store', { Store__serviceUri: 'https://x' }, 'f')).toThrow(/identity-based/);
  });
});

describe('entry-point globs', () => {
  it('expands *, ** and braces, sorted', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glob-'));
    mkdirSync(path.join(dir, 'dist/functions/nested'), { recursive: true });
    for (const file of ['b.function.js', 'a.function.js', 'helper.js', 'nested/c.function.js']) {
      writeFileSync(path.join(dir, 'dist/functions', file), '');
    }
    const rel = (files: string[]) => files.map((f) => path.relative(dir, f));
    expect(rel(expandGlob(dir, 'dist/functions/*.function.js'))).toEqual([
      'dist/functions/a.function.js',
      'dist/functions/b.function.js',
    ]);
    expect(rel(expandGlob(dir, 'dist/**/*.function.js'))).toHaveLength(3);
    expect(rel(expandGlob(dir, './dist/functions/{a,helper}.*'))).toEqual(['dist/functions/a.function.js', 'dist/functions/helper.js']);
    expect(rel(expandGlob(dir, 'dist/functions/helper.js'))).toEqual(['dist/functions/helper.js']);
    expect(expandGlob(dir, 'nothing/*.js')).toEqual([]);
  });
});
