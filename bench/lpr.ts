import { createManyOnce } from '../shared/adapters/cosmos-batch';
import { itemOf } from '../shared/adapters/cosmos-containers';
import { canonicalPlate, plateIndexId, type PlateEntry } from '../shared/domain/lpr/plate-index';
import { measure, row, type Row } from './measure';
import type { BenchContext } from './run';

/**
 * LPR: plate reads/s through HTTP in batches of 500 (a fifth of them hits on a seeded index,
 * the rest misses; auth, validation, settings, agreements, bulk look-ups, alerts stored and
 * audited), against raw single-document point reads/s on the same emulator at concurrency 16.
 */
export async function benchLpr(ctx: BenchContext): Promise<Row[]> {
  const { api, admin, integration, org } = await ctx.retailer();
  await api('PUT', '/api/v1/stores/bench-1', admin, { name: 'Bench', jurisdiction: 'NZ-AKL' });
  const seeded = ctx.quick ? 500 : 5000;
  const batches = ctx.quick ? 4 : 20;
  const plate = (i: number) => `BN${String(i).padStart(6, '0')}`;
  const docs = Array.from({ length: seeded }, (_, i) => {
    const entries: PlateEntry[] = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
      eventId: `00000000-0000-4000-8000-${String(i * 3 + k).padStart(12, '0')}`,
      plate: plate(i),
      storeId: 'bench-1',
      occurredAt: new Date(Date.UTC(2026, 0, 1) + (i * 3 + k) * 60_000).toISOString(),
      profileIds: [`00000000-0000-4000-9000-${String(i).padStart(12, '0')}`],
      violent: k === 0 && i % 2 === 0,
      lossValue: 25 * (k + 1),
      sensitive: false,
    }));
    return { id: plateIndexId(canonicalPlate(plate(i))), orgId: org, docType: 'plate-index', entries, truncated: false };
  });
  // In bulk: plate documents lie by plate, across the retailer's shards.
  await createManyOnce('plate-index', org, docs);

  const ids = docs.map((d) => d.id);
  const raw = await measure(ctx.quick ? 1000 : 5000, 16, async (i) => {
    await itemOf('plate-index', org, ids[i % ids.length]!).read();
  });

  const base = Date.now() - 60 * 60_000;
  const batch = (b: number) => ({
    reads: Array.from({ length: 500 }, (_, i) => ({
      // every fifth read is a seeded plate; the rest are plates nobody recorded
      plate: i % 5 === 0 ? plate((b * 100 + i) % seeded) : `MS${String(b * 1000 + i).padStart(6, '0')}`,
      storeId: 'bench-1',
      cameraId: `cam-${i % 4}`,
      readAt: new Date(base + b * 1000 + i).toISOString(),
      confidence: 0.9,
    })),
  });
  const lpr = await measure(batches, 2, async (b) => {
    const res = (await api('POST', '/api/v1/lpr/reads', integration, batch(b), 200)) as { alerts: unknown[] };
    if (res.alerts.length !== 100) throw new Error(`expected 100 alerts, got ${res.alerts.length}`);
  });
  return [
    row('LPR plate reads/s (HTTP, 500-read batches, c=2)', lpr.perSecond * 500, 'reads/s', raw.perSecond, '>= 0.5'),
    row('LPR 500-read batch p50 latency', lpr.p50, 'ms'),
    row('LPR 500-read batch p95 latency', lpr.p95, 'ms'),
    row('raw point read p50 latency', raw.p50, 'ms'),
  ];
}
