import http from 'node:http';
import { seedAuditEntries } from '../../../tools/audit/seed-entries';
import { createOrg, tokenFor } from '../support/api';
import { ownStack, rssOf } from '../support/own-stack';

/**
 * The audit export on the real route streams in step with its reader: a client that stops
 * reading stops the exporter's reads of Cosmos DB (counted at the store's HTTP edge, by a proxy
 * that injects no fault here), the host's memory does not grow while it waits, and once the
 * client reads again the whole chain arrives. A stack of its own, and a counted window clear of
 * its timers, so the count is this export's alone.
 */
const ENTRIES = 60_000;
const MB = 1024 * 1024;

const stack = ownStack();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The stack's timers fire at :00 and :30 of a minute (the audit outbox sweep every minute, other
 * sweeps every few) and read the store too: a counted window of `ms` starts clear of them (CI74
 * counted a sweep's 20 reads as the paused exporter's).
 */
async function clearOfTimers(ms: number): Promise<void> {
  const intoHalfMinute = Date.now() % 30_000;
  if (intoHalfMinute < 3_000 || intoHalfMinute + ms + 1_000 > 30_000) await sleep((30_000 - intoHalfMinute + 3_000) % 30_000);
}

it('a reader that pauses pauses the exporter; the whole chain arrives when it reads again', async () => {
  const org = await createOrg('retailer');
  const compliance = await tokenFor({ org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
  const seeded = await seedAuditEntries(org, ENTRIES);
  const cosmos = stack().faults!.cosmos.counts;
  const pid = stack().child.pid!;

  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`${process.env.DAYBREAK_BASE_URL}/api/v1/audit/export?format=jsonl`, { headers: { authorization: `Bearer ${compliance}` } }, resolve).on('error', reject);
  });
  expect(res.statusCode).toBe(200);
  const expected = Number(res.headers['x-audit-last-seq']) - Number(res.headers['x-audit-first-seq']) + 1;
  expect(expected).toBeGreaterThanOrEqual(seeded);

  let bytes = 0;
  let lines = 0;
  const count = (chunk: Buffer) => {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines += 1;
  };
  // Read the first megabyte, then stop reading.
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      count(chunk);
      if (bytes >= MB) {
        res.off('data', onData);
        res.pause();
        resolve();
      }
    };
    res.on('data', onData);
  });
  // Buffers between the exporter and this reader (the socket's, the host's relay) fill, and then
  // the exporter must wait: its reads of the store stop while the export is far from done.
  await sleep(1500);
  await clearOfTimers(3000);
  const readsThen = cosmos.requests;
  const rssThen = rssOf(pid);
  await sleep(3000);
  const readsWhilePaused = cosmos.requests - readsThen;
  const rssGrowth = rssOf(pid) - rssThen;
  expect({ readsWhilePaused, beforePause: lines }).toEqual({ readsWhilePaused: 0, beforePause: expect.any(Number) });
  expect(lines).toBeLessThan(expected / 4);
  expect(rssGrowth).toBeLessThan(16 * MB);

  // Reading again, the rest arrives: every entry once.
  const readsBeforeResume = cosmos.requests;
  await new Promise<void>((resolve, reject) => {
    res.on('data', count);
    res.on('end', resolve);
    res.on('error', reject);
    res.resume();
  });
  expect(lines).toBe(expected);
  // The remaining pages were read after the pause (pages of at most 100 entries).
  // Most of the chain was read from the store only after the pause (pages of at most 100 entries;
  // measured: about 15,000 entries read ahead into the buffers, 45,000 after).
  expect(cosmos.requests - readsBeforeResume).toBeGreaterThan(expected / 2 / 100);
}, 120_000);
