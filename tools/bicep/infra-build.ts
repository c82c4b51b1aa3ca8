/**
 * `npm run infra:build`: everything CI checks about infra/ before the template tests run.
 *
 *   1. Compiles infra/main.bicep to ARM JSON, infra/dist/main.json (what azd deploys), and
 *      every other .bicep file under infra/ on its own. Compiling runs the linter with
 *      infra/bicepconfig.json, which raises every analyzer rule to error; any warning fails
 *      the build too, so the Bicep lints clean.
 *   2. Writes a snapshot of each test/infra/params/*.bicepparam to
 *      infra/dist/<name>.snapshot.json: the resources the template would deploy with those
 *      parameters, evaluated offline (loops expanded, names, ids and guid()s computed), which
 *      the template tests in test/infra assert on.
 *
 * All of it goes through one `bicep jsonrpc` process (the CLI's documented JSON-RPC
 * interface): each separate `bicep build`/`lint`/`snapshot` process spends ~4 s starting,
 * one process does the whole job in about that. The Bicep CLI is found (or restored from
 * NuGet) by tools/bicep/bicep.sh. infra/dist/ is git-ignored; nothing here talks to Azure.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const INFRA = path.join(ROOT, 'infra');
const OUT = path.join(INFRA, 'dist');
const PARAMS = path.join(ROOT, 'test/infra/params');
/** Fixed, fake ids: snapshots are the same on every machine. */
const SNAPSHOT_METADATA = {
  subscriptionId: '00000000-0000-0000-0000-00000000000a',
  tenantId: '00000000-0000-0000-0000-00000000000b',
  location: 'westeurope',
};

interface Diagnostic {
  source: string;
  range: { start: { line: number; char: number } };
  level: string;
  code: string;
  message: string;
}

/** A minimal JSON-RPC 2.0 client over the CLI's stdio (LSP-style Content-Length framing). */
class BicepRpc {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  #stderr = '';

  constructor(executable: string) {
    this.#child = spawn(executable, ['jsonrpc', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    this.#child.on('exit', (code) => this.#failAll(new Error(`bicep jsonrpc exited (${code}): ${this.#stderr.trim()}`)));
    this.#child.on('error', (error) => this.#failAll(error));
  }

  call<T>(method: string, params: unknown): Promise<T> {
    const id = this.#nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.#child.removeAllListeners('exit');
    this.#child.stdin.end();
    this.#child.kill();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(this.#buffer.subarray(0, headerEnd).toString())?.[1]);
      if (!Number.isFinite(length)) throw new Error('bicep jsonrpc: a message without Content-Length');
      if (this.#buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as {
        id?: number;
        result?: unknown;
        error?: { message: string; data?: { message?: string } };
      };
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
      const waiter = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!waiter) continue;
      this.#pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.data?.message ?? message.error.message));
      else waiter.resolve(message.result);
    }
  }

  #failAll(error: Error): void {
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}

function bicepFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === OUT ? [] : bicepFiles(full);
    return entry.name.endsWith('.bicep') ? [full] : [];
  });
}

function format(d: Diagnostic): string {
  return `${path.relative(ROOT, d.source)}(${d.range.start.line + 1},${d.range.start.char + 1}) : ${d.level} ${d.code}: ${d.message}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  // Finds bicep (PATH, az, or the pinned NuGet package, restored on first use).
  const executable = execFileSync('bash', [path.join(__dirname, 'bicep.sh'), '--which'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const rpc = new BicepRpc(executable);
  try {
    const { version } = await rpc.call<{ version: string }>('bicep/version', {});
    const problems: string[] = [];

    // main.bicep first (it pulls in every module), then any file it does not reach.
    const files = bicepFiles(INFRA).sort((a, b) => Number(b.endsWith('main.bicep')) - Number(a.endsWith('main.bicep')));
    const seen = new Set<string>();
    for (const file of files) {
      const result = await rpc.call<{ success: boolean; diagnostics: Diagnostic[]; contents?: string }>('bicep/compile', {
        path: file,
      });
      for (const d of result.diagnostics) {
        const line = format(d);
        if (seen.has(line)) continue;
        seen.add(line);
        if (d.level === 'Error' || d.level === 'Warning') problems.push(line);
        else console.error(line);
      }
      if (!result.success && result.diagnostics.length === 0) problems.push(`${path.relative(ROOT, file)}: compilation failed`);
      if (file === path.join(INFRA, 'main.bicep') && result.contents) {
        writeFileSync(path.join(OUT, 'main.json'), result.contents);
      }
    }
    if (problems.length > 0) {
      throw new Error(`Bicep has ${problems.length} error(s) or warning(s):\n${problems.join('\n')}`);
    }

    const paramFiles = readdirSync(PARAMS).filter((f) => f.endsWith('.bicepparam'));
    for (const file of paramFiles) {
      const { snapshot } = await rpc.call<{ snapshot: string }>('bicep/getSnapshot', {
        path: path.join(PARAMS, file),
        metadata: SNAPSHOT_METADATA,
      });
      const parsed = JSON.parse(snapshot) as { diagnostics?: unknown[] };
      if (parsed.diagnostics?.length) {
        throw new Error(`Snapshot of ${file} has diagnostics: ${JSON.stringify(parsed.diagnostics)}`);
      }
      writeFileSync(path.join(OUT, file.replace(/\.bicepparam$/, '.snapshot.json')), snapshot);
    }

    console.log(
      `infra:build: compiled and linted ${files.length} Bicep files (infra/dist/main.json), ` +
        `${paramFiles.length} snapshots, in ${Date.now() - started} ms with Bicep ${version}`,
    );
  } finally {
    rpc.close();
  }
}

main().catch((error: unknown) => {
  rmSync(OUT, { recursive: true, force: true });
  console.error(`infra:build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
