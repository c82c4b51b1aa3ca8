import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { chainHead } from '../../../shared/audit/audit-log';
import { advanceHead, createEntries, entryLocation, headLocation } from '../../../shared/audit/audit-entry-repository';
import { container } from '../../../shared/adapters/cosmos-containers';
import { MAX_BATCH_OPERATIONS } from '../../../shared/adapters/cosmos-batch';
import { GENESIS_HASH, sealEntry, type AuditEntry } from '../../../shared/domain/audit-chain';

const root = path.resolve(__dirname, '../../..');

/**
 * Appends `count` genuine entries to a chain straight into Cosmos DB (transactional batches of
 * 100), as another instance would, and moves the head hint. Fast enough for thousands.
 */
export async function seedChain(orgId: string, count: number, start = new Date()): Promise<AuditEntry[]> {
  const head = await chainHead(orgId);
  let prev = head?.hash ?? GENESIS_HASH;
  let seq = head?.seq ?? 0;
  const base = Math.max(start.getTime(), head ? Date.parse(head.at) + 1 : 0);
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    seq += 1;
    const e = sealEntry(
      {
        actor: { sub: `seed-${i % 7}`, org: orgId, roles: ['Investigator'] },
        action: 'event.read',
        target: { type: 'event', id: `evt-${seq}` },
        outcome: 'success',
        requestId: `seed-${seq}`,
        details: { seeded: true },
      },
      seq,
      prev,
      new Date(base + i),
    );
    entries.push(e);
    prev = e.hash;
  }
  for (let i = 0; i < entries.length; i += MAX_BATCH_OPERATIONS) {
    if (!(await createEntries(orgId, entries.slice(i, i + MAX_BATCH_OPERATIONS), false))) throw new Error('Seeding the chain failed: a seq was taken.');
  }
  if (entries.length > 0) await advanceHead(orgId, entries.at(-1)!);
  // Later appends must come after the seeded times, as they would in a real chain.
  const last = entries.length > 0 ? Date.parse(entries.at(-1)!.at) : 0;
  while (Date.now() <= last) await new Promise((r) => setTimeout(r, 5));
  return entries;
}

/** The stored document of entry `seq`, for tests that tamper with the chain as someone with database access would. */
export function entryItem(orgId: string, seq: number) {
  const { id, partitionKey } = entryLocation(orgId, seq);
  return container('audit').item(id, partitionKey);
}

/** Overwrites the head hint of the segment holding `seq`. */
export async function setHeadHint(orgId: string, seq: number, hash: string): Promise<void> {
  const { id, partitionKey } = headLocation(orgId, seq);
  await container('audit').items.upsert({ id, orgId, partition: partitionKey, seq, hash });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run -s audit:verify -- …` (npm: true), or the same script through tsx directly (faster). */
export async function auditVerifyCli(args: string[], npm = false): Promise<CliResult> {
  const [cmd, argv] = npm
    ? ['npm', ['run', '-s', 'audit:verify', '--', ...args]]
    : [process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'tools/audit-verify.ts', ...args]];
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, argv as string[], { cwd: root, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
