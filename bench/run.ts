/**
 * `npm run bench [-- --quick] [-- --json] [-- --check]`: starts the embedded stack on free ports, runs
 * each benchmark, and prints every figure beside the raw emulator operation it rests on,
 * measured in the same run, so the ratio holds on a noisy machine.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { localStackToken } from '../tools/dev-issuer/dev-issuer';
import { loadLocalSettings } from '../tools/local/local-settings';
import { startStackProcess, type StackProcess } from '../tools/local/stack-process';
import { benchEvidence } from './evidence';
import { hostPid, processIdle, queuesIdle } from './host-process';
import { request } from './http-client';
import { benchIntake, benchIntakeWithAlerts } from './intake';
import { benchLpr } from './lpr';
import { benchRetention } from './retention';
import { benchScreening } from './screening';
import { missedTargets, type Row } from './measure';

export interface BenchContext {
  quick: boolean;
  /** The local host's base URL, for requests that are not API calls (see bench/intake.ts). */
  baseUrl: string;
  retailer(): Promise<{ org: string; admin: string; reporter: string; integration: string; api: Api }>;
}
export type Api = (method: string, url: string, token: string, body?: unknown, expect?: number) => Promise<unknown>;

/**
 * A benchmark on this run's stack, or (`own`) one run by a child run of this program on a stack of
 * its own, or (`alone`) pure code measured in this process without a stack.
 */
type Benchmark = ((ctx: BenchContext) => Promise<Row[]>) | { own: string; settings: Record<string, string> } | { alone: (quick: boolean) => Promise<Row[]> };

const benchmarks: [string, Benchmark][] = [
  // Intake on a stack of its own whose queue-triggered matcher is disabled, as the instances that
  // serve HTTP are in Azure: on Flex Consumption queue-triggered functions scale on instances of
  // their own, so an HTTP instance never runs Connect the Dots. First, before this run's stack
  // starts, so nothing else is running on the machine.
  ['intake', { own: 'intake-here', settings: { 'AzureWebJobs.match-event.Disabled': 'true' } }],
  ['screening', { alone: benchScreening }],
  // The same with Connect the Dots running in the same process (and on the same cores) as
  // intake, as `npm start` runs everything: what one local process sustains for both. Issue 28's
  // target is on its throughput alone (≥ 0.3 of raw upserts), judged by a full run.
  ['intake-with-matcher', async (ctx) => (await benchIntake(ctx, { untilMatched: true })).flatMap(withMatcher)],
  // The same again with 10 instant alert subscriptions of the retailer (PRODUCT §6b): the matcher
  // works out each event's alerts and the deliveries go out from the same process.
  ['intake-with-alerts', benchIntakeWithAlerts],
  ['intake-here', benchIntake],
  ['evidence', benchEvidence],
  // Case files (PRODUCT §4c) built in the benchmark's own process, on a stack of their own whose
  // queue-triggered build is disabled, so that the host never builds the same file at once.
  ['case-file', { own: 'case-file-here', settings: { 'AzureWebJobs.case-files-build.Disabled': 'true' } }],
  ['case-file-here', async (ctx) => (await import('./case-file')).benchCaseFile(ctx)],
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
  // `--setting name=value` (repeatable): an app setting for the stack the benchmarks run against.
  const settings = Object.fromEntries(
    process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--setting' ? [[arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]] : [])),
  );
  let stack: StackProcess | undefined;
  try {
    let ctx: BenchContext | undefined;
    const rows: Row[] = [];
    for (const [name, bench] of benchmarks) {
      // A `-here` benchmark is what its namesake runs in its own stack; on its own only when asked for.
      if (only ? !only.includes(name) : name.endsWith('-here')) continue;
      if (!asJson) process.stderr.write(`running ${name}…\n`);
      if ('alone' in bench) {
        rows.push(...(await bench.alone(quick)));
        continue;
      }
      if (typeof bench !== 'function') {
        rows.push(...(await inOwnStack(bench.own, bench.settings, quick)));
        continue;
      }
      if (!ctx) {
        // This run's stack, started when the first benchmark needs it.
        stack = await startStackProcess(undefined, settings);
        Object.assign(process.env, stack.env);
        loadLocalSettings(path.resolve(__dirname, '..'));
        ctx = context(stack, quick);
      }
      rows.push(...(await bench(ctx)));
    }
    if (asJson) for (const r of rows) console.log(JSON.stringify(r));
    else console.table(rows);
    // `--check`: the run fails when a target it can judge is missed (CI runs it on the quick sizes).
    if (process.argv.includes('--check') && !only?.every((o) => o.endsWith('-here'))) {
      const missed = missedTargets(rows, quick);
      if (missed.length) {
        console.error(`Targets missed:\n${missed.map((m) => `  ${m}`).join('\n')}`);
        process.exitCode = 1;
      } else console.error(`Every target a${quick ? ' quick' : ''} run judges is met.`);
    }
  } finally {
    await stack?.stop();
  }
}

/** Runs one benchmark in a child run of this program with its own stack started with `settings`, and returns its rows. */
async function inOwnStack(name: string, settings: Record<string, string>, quick: boolean): Promise<Row[]> {
  // Work earlier benchmarks left in this run's host (matching), if it runs, must not share the machine with it.
  const host = hostPid();
  if (host !== undefined) {
    await queuesIdle();
    await processIdle(host);
  }
  const args = [...process.execArgv, process.argv[1]!, '--json', '--only', name, ...(quick ? ['--quick'] : [])];
  for (const [k, v] of Object.entries(settings)) args.push('--setting', `${k}=${v}`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${name} in its own stack exited with ${code}`);
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Row);
}

/** Intake's throughput, latency and CPU rows measured with the matcher in the same process: named so, with issue 28's target for throughput alone. */
function withMatcher(r: Row): Row[] {
  if (!/^intake (events|p50|p95|host CPU|matching backlog)/.test(r.name)) return [];
  return [{ ...r, name: r.name.replace(/^intake/, 'intake with Connect the Dots in the same process:'), target: /^intake events/.test(r.name) ? '>= 0.3' : null }];
}

function context(stack: StackProcess, quick: boolean): BenchContext {
  const token = (roles: string[], org?: string) => localStackToken({ org, roles, mfa: true });
  const api: Api = async (method, url, bearer, body, expected) => {
    const res = await request(
      `${stack.baseUrl}${url}`,
      method,
      { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body ? JSON.stringify(body) : undefined,
    );
    const text = res.text;
    if ((expected && res.status !== expected) || res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  let n = 0;
  return {
    quick,
    baseUrl: stack.baseUrl,
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
