/**
 * `npm run -s partitions:check [-- --limit 5000 --audit 60000 --events 20000]`: issue 26's check on
 * a stack of its own whose Cosmos DB edge refuses a write beyond `--limit` documents per logical
 * partition (403/1014, as a full 20 GB partition does). One retailer: `--events` events with a
 * person and (every other one) a vehicle, through the API, waiting until the matcher has indexed
 * them all (no matching request left pending); then audited
 * reads until its chain holds `--audit` entries; then the chain is verified and exported. Prints
 * the answers by status, the writes the edge refused, the fullest partitions, the verdict and the
 * export's size. The audited reads are reads of single events by id (point reads, as an
 * investigator opens reports), so the check's time goes into writing, not into the local server's
 * scans. Only loopback.
 */
import { randomUUID } from 'node:crypto';
import { startStackProcess } from './local/stack-process';
import { localStackToken } from './dev-issuer/dev-issuer';
import { loadLocalSettings } from './local/local-settings';
import { overdueMatchRequests } from '../shared/matching/match-pending-repository';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const limit = arg('limit', 5_000);
const auditTarget = arg('audit', 60_000);
const eventCount = arg('events', 20_000);
const CONCURRENCY = 16;

async function main(): Promise<void> {
  const stack = await startStackProcess(120_000, { REPLY_SCHEMA_CHECK: 'false' }, { partitionDocLimit: limit });
  Object.assign(process.env, stack.env);
  loadLocalSettings();
  const statuses = new Map<string, number>();
  const count = (what: string, status: number): void => {
    statuses.set(`${what} ${status}`, (statuses.get(`${what} ${status}`) ?? 0) + 1);
  };
  // A dropped connection, a 503 (after its Retry-After) or a 409 of a first attempt still in
  // progress is retried, with the same Idempotency-Key (so a new event is never stored twice;
  // a retried read is audited again). Each retry is counted; only a third failure stands.
  const pause = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const key = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      try {
        const res = await fetch(`${stack.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const reply = { status: res.status, text: await res.text() };
        const inProgress = reply.status === 409 && reply.text.includes('IDEMPOTENCY_IN_PROGRESS');
        if ((reply.status !== 503 && !inProgress) || attempt === 3) return reply;
        count(`retried after ${reply.status}`, 0);
        await pause(Number(res.headers.get('retry-after') ?? 1));
      } catch (error) {
        if (attempt === 3) throw error;
        count('retried after a dropped connection', 0);
        await pause(1);
      }
    }
  };
  const inParallel = async (n: number, one: (i: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < n; i = next++) await one(i);
    }));
  };
  try {
    const started = Date.now();
    const progress = (what: string) => console.log(`${Math.round((Date.now() - started) / 1000)} s: ${what}`, Object.fromEntries([...statuses].sort()));
    const org = `check-${randomUUID().slice(0, 8)}`;
    const platform = await localStackToken({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });
    count('org', (await api('POST', '/api/v1/orgs', platform, { id: org, type: 'retailer', name: 'Partition check' })).status);
    const admin = await localStackToken({ org, roles: ['RetailerAdmin'] });
    for (let s = 0; s < 50; s += 1) count('store', (await api('PUT', `/api/v1/stores/s-${s}`, admin, { name: `Store ${s}`, jurisdiction: 'NZ-AKL' })).status);
    const reporter = await localStackToken({ org, roles: ['Reporter'] });
    const investigator = await localStackToken({ org, roles: ['Investigator'] });
    const created: string[] = [];
    await inParallel(eventCount, async (i) => {
      const res = await api('POST', '/api/v1/events', reporter, {
        storeId: `s-${i % 50}`,
        occurredAt: new Date(Date.now() - i * 60_000).toISOString(),
        type: 'shoplifting',
        prevented: false,
        description: 'Took razor blades from the health and beauty aisle and left without paying.',
        products: [{ sku: `SKU-${i % 97}`, name: 'Razor blades 8pk', quantity: 2, unitValue: 24.99 }],
        currency: 'NZD',
        people: [{ ref: 'p1', role: 'offender', name: { given: `Given${i % 3001}`, family: `Family${i % 4999}` }, heightCm: 160 + (i % 30) }],
        vehicles: i % 2 === 0 ? [{ plate: `CK${String(10_000 + (i % 9_000))}` }] : [],
      });
      count('event', res.status);
      if (res.status === 201) created.push((JSON.parse(res.text) as { id: string }).id);
      if ((i + 1) % 2_000 === 0) progress(`${i + 1} events`);
    });
    // The matcher indexes each event from its queue; its pending request goes when it is done.
    const matchStarted = Date.now();
    let pending = await overdueMatchRequests(new Date(Date.now() + 86_400_000), 1_000, 1, org);
    while (pending.length > 0 && Date.now() - matchStarted < 900_000) {
      await new Promise((r) => setTimeout(r, 2_000));
      pending = await overdueMatchRequests(new Date(Date.now() + 86_400_000), 1_000, 1, org);
    }
    progress(pending.length === 0 ? `every event matched, ${Math.round((Date.now() - matchStarted) / 1000)} s after intake` : 'events still waiting for the matcher after 15 min');
    const auditedSoFar = eventCount + 52;
    await inParallel(Math.max(0, auditTarget - auditedSoFar), async (i) => {
      count('audited read', (await api('GET', `/api/v1/events/${created[i % created.length]}`, investigator)).status);
      if ((i + 1) % 10_000 === 0) progress(`${i + 1} audited reads`);
    });
    const compliance = await localStackToken({ org, roles: ['Compliance'], mfa: true });
    const verify = await api('GET', '/api/v1/audit/verify', compliance);
    const exported = await api('GET', '/api/v1/audit/export?format=jsonl', compliance);
    const proxy = stack.faults!.cosmos;
    console.log(`Partition limit ${limit} documents; ${eventCount} events, an audit chain of ${auditTarget}; ${Math.round((Date.now() - started) / 1000)} s\n`);
    console.log('answers:', Object.fromEntries([...statuses].sort()));
    console.log('writes refused at the edge (403/1014):', proxy.counts.partitionFull);
    // The fullest logical partition of each container (a container's partitions are "<container>|<key>").
    const fullest = new Map<string, { partition: string; documents: number }>();
    for (const p of proxy.partitions!.fullest(1_000_000)) {
      const name = p.partition.slice(0, p.partition.indexOf('|'));
      if (!fullest.has(name)) fullest.set(name, p);
    }
    console.log('fullest logical partition of each container:', [...fullest.values()]);
    console.log('verify:', verify.status, verify.text);
    const lines = exported.text.trim().split('\n').length;
    console.log('export:', exported.status, `${lines} lines`);
    const failures = [...statuses].filter(([what]) => !/ 20[01]$| 0$/.test(what));
    const passed = failures.length === 0 && proxy.counts.partitionFull === 0 && pending.length === 0 && verify.status === 200 && (JSON.parse(verify.text) as { ok: boolean }).ok && exported.status === 200 && lines >= auditTarget - 1;
    console.log(passed ? 'PASS' : `FAIL${failures.length ? `: ${failures.map(([w, n]) => `${n} × ${w}`).join(', ')}` : ''}`);
    if (!passed) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
