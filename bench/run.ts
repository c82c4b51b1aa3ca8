/**
 * `npm run bench [-- --quick] [-- --json]`: starts the embedded stack on free ports, runs
 * each benchmark, and prints every figure beside the raw emulator operation it rests on,
 * measured in the same run, so the ratio holds on a noisy machine.
 */
import path from 'node:path';
import { localStackToken } from '../tools/dev-issuer/dev-issuer';
import { loadLocalSettings } from '../tools/local/local-settings';
import { startStackProcess, type StackProcess } from '../tools/local/stack-process';
import { benchEvidence } from './evidence';
import { benchIntake } from './intake';
import { benchLpr } from './lpr';
import { benchRetention } from './retention';
import type { Row } from './measure';

export interface BenchContext {
  quick: boolean;
  retailer(): Promise<{ org: string; admin: string; reporter: string; integration: string; api: Api }>;
}
type Api = (method: string, url: string, token: string, body?: unknown, expect?: number) => Promise<unknown>;

const benchmarks: [string, (ctx: BenchContext) => Promise<Row[]>][] = [
  ['intake', benchIntake],
  ['evidence', benchEvidence],
  ['audit-export', async (ctx) => (await import('./audit-export')).benchAuditExport(ctx)],
  ['lpr', benchLpr],
  ['retention', benchRetention],
  // Last: it leaves 50,000 people in the store.
  ['matching', async (ctx) => (await import('./matching')).benchMatching(ctx)],
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const asJson = process.argv.includes('--json');
  // `--only intake,lpr` runs just those benchmarks (names as in the list above).
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? process.argv[onlyArg + 1]?.split(',') : undefined;
  let stack: StackProcess | undefined;
  try {
    stack = await startStackProcess();
    Object.assign(process.env, stack.env);
    loadLocalSettings(path.resolve(__dirname, '..'));
    const ctx = context(stack, quick);
    const rows: Row[] = [];
    for (const [name, bench] of benchmarks) {
      if (only && !only.includes(name)) continue;
      if (!asJson) process.stderr.write(`running ${name}…\n`);
      rows.push(...(await bench(ctx)));
    }
    if (asJson) for (const r of rows) console.log(JSON.stringify(r));
    else console.table(rows);
  } finally {
    await stack?.stop();
  }
}

function context(stack: StackProcess, quick: boolean): BenchContext {
  const token = (roles: string[], org?: string) => localStackToken({ org, roles, mfa: true });
  const api: Api = async (method, url, bearer, body, expected) => {
    const res = await fetch(`${stack.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if ((expected && res.status !== expected) || res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  let n = 0;
  return {
    quick,
    retailer: async () => {
      const org = `bench-${process.pid}-${(n += 1)}`;
      await api('POST', '/api/v1/orgs', await token(['PlatformAdmin']), { id: org, type: 'retailer', name: 'Bench' });
      return { org, api, admin: await token(['RetailerAdmin'], org), reporter: await token(['Reporter'], org), integration: await token(['Integration'], org) };
    },
  };
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
