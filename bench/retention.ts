import { cosmosRoundTrips } from '../shared/adapters/counting-agent';
import { container, inOrganisation } from '../shared/adapters/cosmos-containers';
import { runRetentionSweep } from '../shared/retention/retention-sweep';
import { row, type Row } from './measure';
import type { BenchContext } from './run';

const DAY_MS = 86_400_000;

/**
 * Retention: Cosmos DB round trips (this process's counting agent) per purged event, for a
 * retailer whose store also holds live events the sweep must not pay for. Each expired event
 * has one person (a profile of its own, with match keys), products and a plate. The sweep
 * runs in this process against the stack; matching runs in the stack's host and is waited for
 * first, so purges remove real keys. Round trips, not time, are the figure: they are what
 * Cosmos DB bills per request and they do not depend on the machine.
 */
export async function benchRetention(ctx: BenchContext): Promise<Row[]> {
  const { api, admin, reporter, org } = await ctx.retailer();
  await api('PUT', '/api/v1/stores/bench-1', admin, { name: 'Bench', jurisdiction: 'NZ-AKL' });
  await api('PUT', '/api/v1/settings', admin, { retentionDays: 30 });
  const expired = ctx.quick ? 20 : 200;
  const live = ctx.quick ? 40 : 1000;
  const body = (i: number, daysAgo: number) => ({
    storeId: 'bench-1',
    occurredAt: new Date(Date.now() - daysAgo * DAY_MS - i * 60_000).toISOString(),
    type: 'shoplifting',
    prevented: i % 3 === 0,
    products: [{ sku: `sku-${i % 5}`, name: 'Razor blades 8pk', quantity: 1 + (i % 3), unitValue: 24.99 }],
    currency: 'NZD',
    people: [{ ref: 'p1', role: 'offender', name: { given: 'Jon', family: `Bench${i}` } }],
    vehicles: [{ plate: `BEN${i}` }],
  });
  for (let i = 0; i < live; i += 1) await api('POST', '/api/v1/events', reporter, body(i, 1), 201);
  for (let i = 0; i < expired; i += 1) await api('POST', '/api/v1/events', reporter, body(i, 40), 201);
  await matchingDone(org, expired + live);

  const quiet = { warn: (m: string) => process.stderr.write(`${m}\n`) };
  const before = { ...cosmosRoundTrips };
  const started = performance.now();
  const run = await runRetentionSweep(quiet, { retailerIds: [org], maxEventsPerRetailer: expired });
  const seconds = (performance.now() - started) / 1000;
  const purged = run.totals.eventsPurged;
  if (purged !== expired) throw new Error(`retention bench purged ${purged} of ${expired}`);
  const total = cosmosRoundTrips.total - before.total;
  const queries = cosmosRoundTrips.queries - before.queries;

  // The same sweep again: nothing expired, so its cost is the fixed per-retailer part.
  const idle = { ...cosmosRoundTrips };
  await runRetentionSweep(quiet, { retailerIds: [org] });
  return [
    row(`retention: Cosmos round trips per purged event (${purged} expired, ${live} live)`, total / purged, 'round trips', null, 'constant in store size'),
    row('retention: of which queries per purged event', queries / purged, 'queries', null, '<= 4'),
    row('retention: a run with nothing expired', cosmosRoundTrips.total - idle.total, 'round trips', null, 'constant'),
    row('retention: events purged/s (in process)', purged / seconds, 'events/s'),
  ];
}

/** Waits (up to 2 min) until the host's matching has indexed every profile, so the sweep never races it. */
async function matchingDone(org: string, profiles: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { resources } = await container('profiles')
      .items.query<{ id: string }>(
        { query: "SELECT c.id FROM c WHERE c.orgId = @o AND c.docType = 'profile' AND IS_DEFINED(c.match)", parameters: [{ name: '@o', value: org }] },
        inOrganisation('profiles', org),
      )
      .fetchAll();
    if (resources.length >= profiles || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}
