/**
 * `npm run -s partitions:measure [-- --events N]`: what one retailer's records weigh, measured on
 * a stack of its own (the same start script as `npm start`, free ports): N events of a realistic
 * shape (a description, products, one or two people with names, a date of birth or phone and
 * features, a vehicle in half), each read once by an investigator, the matcher run on them; then
 * every document of that retailer is read back and its JSON size summed per container and kind.
 * The per-record sizes are what docs/decisions/0004-bounded-partitions.md multiplies by the
 * largest tenant's volumes. Only loopback.
 */
import { randomUUID } from 'node:crypto';
import { container, containerDefinitions, type ContainerName } from '../shared/adapters/cosmos-containers';
import { startStackProcess } from './local/stack-process';
import { localStackToken } from './dev-issuer/dev-issuer';
import { loadLocalSettings } from './local/local-settings';

const argv = process.argv.slice(2);
const events = Number(argv[argv.indexOf('--events') + 1] || 400);

const GIVEN = ['Jordan', 'Aroha', 'Liam', 'Mia', 'Tane', 'Olivia', 'Noah', 'Ava', 'Wiremu', 'Charlotte'];
const FAMILY = ['Smith', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Ngata', 'Anderson', 'Thompson', 'Walker', 'Te Awa'];
const pick = <T>(xs: T[], i: number): T => xs[i % xs.length]!;

function eventBody(i: number) {
  const people = Array.from({ length: 1 + (i % 3 === 0 ? 1 : 0) }, (_, j) => ({
    ref: `p${j}`,
    role: j === 0 ? 'offender' : 'accomplice',
    name: { given: pick(GIVEN, i * 7 + j), family: `${pick(FAMILY, i * 3 + j)}` },
    ...(i % 2 === 0 ? { dateOfBirth: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}` } : { phone: `+6421${String(1_000_000 + i).slice(-7)}` }),
    heightCm: 160 + (i % 30),
    build: pick(['slim', 'medium', 'heavy'] as const, i),
    clothing: 'black puffer jacket, grey track pants, white sneakers',
    distinguishingFeatures: ['tattoo on left forearm', 'scar above right eyebrow'].slice(0, 1 + (i % 2)),
  }));
  return {
    storeId: `s-${i % 20}`,
    occurredAt: new Date(Date.now() - i * 60_000).toISOString(),
    type: 'shoplifting',
    prevented: i % 4 === 0,
    description:
      'Two people entered through the main doors, went straight to the health and beauty aisle and filled a backpack with ' +
      'razor blades and fragrances, then walked out past the registers without paying. Staff followed policy and did not engage.',
    products: [
      { sku: `SKU-${i % 97}`, name: 'Razor blades 8pk', quantity: 3, unitValue: 24.99 },
      { sku: `SKU-${i % 89}`, name: 'Eau de parfum 100ml', quantity: 1, unitValue: 129 },
    ],
    currency: 'NZD',
    people,
    vehicles: i % 2 === 0 ? [{ plate: `KX${String(1000 + (i % 700))}` }] : [],
  };
}

async function main(): Promise<void> {
  const stack = await startStackProcess(120_000, { REPLY_SCHEMA_CHECK: 'false' });
  Object.assign(process.env, stack.env);
  loadLocalSettings();
  try {
    const org = `size-${randomUUID().slice(0, 8)}`;
    const api = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${stack.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ id?: string }>;
    };
    const platform = await localStackToken({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });
    await api('POST', '/api/v1/orgs', platform, { id: org, type: 'retailer', name: 'Sizes' });
    const admin = await localStackToken({ org, roles: ['RetailerAdmin'] });
    for (let s = 0; s < 20; s += 1) await api('PUT', `/api/v1/stores/s-${s}`, admin, { name: `Store ${s}`, jurisdiction: 'NZ-AKL' });
    const reporter = await localStackToken({ org, roles: ['Reporter'] });
    const investigator = await localStackToken({ org, roles: ['Investigator'] });
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < events; i = next++) {
          const { id } = await api('POST', '/api/v1/events', reporter, eventBody(i));
          await api('GET', `/api/v1/events/${id}`, investigator);
        }
      }),
    );
    // Let the matcher index them.
    await new Promise((r) => setTimeout(r, 5_000));
    const byKind = new Map<string, { count: number; bytes: number }>();
    const seen = new Set<string>();
    for (const [name, def] of Object.entries(containerDefinitions) as [ContainerName, { id: string }][]) {
      if (seen.has(def.id)) continue;
      seen.add(def.id);
      const docs = container(name).items.query<Record<string, unknown>>({ query: 'SELECT * FROM c WHERE c.orgId = @o', parameters: [{ name: '@o', value: org }] });
      while (docs.hasMoreResults()) {
        for (const d of (await docs.fetchNext()).resources ?? []) {
          const kind = `${def.id} / ${String(d.docType ?? (String(d.id).split(':')[0] || 'doc'))}`;
          const k = byKind.get(kind) ?? { count: 0, bytes: 0 };
          k.count += 1;
          k.bytes += Buffer.byteLength(JSON.stringify(d));
          byKind.set(kind, k);
        }
      }
    }
    console.log(`One retailer, ${events} events (each read once), 20 stores, the matcher run:\n`);
    console.log('container / kind'.padEnd(44), 'documents'.padStart(10), 'mean bytes'.padStart(11), 'per event'.padStart(10));
    for (const [kind, { count, bytes }] of [...byKind].sort((a, b) => b[1].bytes - a[1].bytes)) {
      console.log(kind.padEnd(44), String(count).padStart(10), String(Math.round(bytes / count)).padStart(11), (count / events).toFixed(2).padStart(10));
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
