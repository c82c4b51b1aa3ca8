import { shardMigration, type ShardMigrationStore } from '../../../shared/migration/shard-migration';
import type { LegacyContainer } from '../../../shared/migration/legacy-records-repository';
import type { ContainerName } from '../../../shared/adapters/cosmos-containers';
import { mergeKeyDocs, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import type { IdempotencyDoc } from '../../../shared/events/idempotency-repository';
import type { PlateIndexDoc } from '../../../shared/lpr/plate-index-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError } from '../../../shared/domain/errors';
import { RoleSchema } from '../../../shared/domain/principal';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * The shard migration over the containers from before shards and their sharded successors in
 * memory: what goes where, each document taken in once however often the job runs or stops, a
 * copy already there left as it is, the run's counts, and who may run the job. The adopt functions
 * are faked as the repositories behave (the match-key merge is the real mergeKeyDocs); the whole job
 * runs against the emulators in test/integration/app/shard-migration.test.ts.
 */
type Doc = { id: string; orgId: string } & Record<string, unknown>;

const NOW = new Date('2026-12-01T02:00:00Z');
const LEGACY: LegacyContainer[] = ['matchkeys-unsharded', 'idempotency-unsharded', 'events-unsharded', 'links-unsharded', 'evidence-unsharded', 'lpr-alerts-unsharded'];

class Records implements ShardMigrationStore {
  /** Per old container, "org|id" → the document, in the order written. */
  legacy = new Map<LegacyContainer, Map<string, Doc>>(LEGACY.map((n) => [n, new Map()]));
  /** Per sharded container, "org|id" → the document. */
  sharded = new Map<ContainerName, Map<string, Doc>>();
  /** Each document created or replaced in a sharded container, "container:id", in order. */
  written: string[] = [];
  /** Each document deleted from an old container, "container:id", in order. */
  dropped: string[] = [];
  /** Old containers an operator has deleted. */
  deleted = new Set<LegacyContainer>();
  /** Faults of the store, each once: "copy <container>:<id>", "drop <container>:<id>", "page <container>:<n>" (the nth page read). */
  faults = new Set<string>();
  pagesRead = 0;
  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : org === 'police' ? 'agency' : undefined));

  authorize = (caller: Caller, action: 'job.run', target: { type: string; id: string }) => this.table.check(caller, action, `${target.type}:${target.id}`);
  legacyPages = async function* (this: Records, name: LegacyContainer, pageSize: number) {
    this.pagesRead += 1;
    if (this.deleted.has(name)) return;
    // Read once from start to end: what is there when the query starts, less what went since.
    const keys = [...this.legacy.get(name)!.keys()];
    for (let i = 0, n = 1; i < keys.length; i += pageSize, n += 1) {
      this.fault(`page ${name}:${n}`);
      const page = keys.slice(i, i + pageSize).flatMap((k) => this.legacy.get(name)!.get(k) ?? []);
      if (page.length) yield await Promise.resolve(structuredClone(page));
    }
  }.bind(this);
  readLegacy = async (name: LegacyContainer, orgId: string, id: string) => structuredClone(this.legacy.get(name)!.get(`${orgId}|${id}`));
  copyIfAbsent = async (name: ContainerName, doc: { id: string; orgId: string }) => {
    this.fault(`copy ${name}:${doc.id}`);
    if (!this.in(name).has(`${doc.orgId}|${doc.id}`)) this.write(name, doc);
  };
  dropLegacy = async (name: LegacyContainer, doc: { id: string; orgId: string }) => {
    this.fault(`drop ${name}:${doc.id}`);
    if (this.legacy.get(name)!.delete(`${doc.orgId}|${doc.id}`)) this.dropped.push(`${name}:${doc.id}`);
  };
  /** As the repository: copied (marked migrated), or merged once into what intake wrote since. */
  adoptLegacyKeyDoc = async (doc: MatchKeyDoc) => {
    const current = this.in('matchkeys').get(`${doc.orgId}|${doc.id}`) as MatchKeyDoc | undefined;
    if (!current) this.write('matchkeys', { ...doc, migrated: true });
    else if (!current.migrated) this.write('matchkeys', { ...mergeKeyDocs(current, doc), migrated: true });
  };
  /** As the repository: an expired record is not taken in; one used since stays. */
  adoptLegacyRecord = async (doc: IdempotencyDoc, now: Date) => {
    if (doc.expiresAt <= now.toISOString()) return;
    await this.copyIfAbsent('idempotency', doc);
  };
  /** As the repository: the old entries added to the document written since, an event there keeping its own. */
  adoptLegacyPlateDoc = async (doc: PlateIndexDoc) => {
    const current = this.in('plate-index').get(`${doc.orgId}|${doc.id}`) as PlateIndexDoc | undefined;
    const added = doc.entries.filter((e) => !current?.entries.some((c) => c.eventId === e.eventId));
    if (!current) this.write('plate-index', doc);
    else if (added.length) this.write('plate-index', { ...current, entries: [...current.entries, ...added] });
  };

  put(name: LegacyContainer, doc: Doc): void {
    this.legacy.get(name)!.set(`${doc.orgId}|${doc.id}`, doc);
  }
  in(name: ContainerName): Map<string, Doc> {
    if (!this.sharded.has(name)) this.sharded.set(name, new Map());
    return this.sharded.get(name)!;
  }
  get(name: ContainerName, id: string, orgId = 'shop'): Doc | undefined {
    return this.in(name).get(`${orgId}|${id}`);
  }
  left(): string[] {
    return [...this.legacy].flatMap(([name, docs]) => [...docs.values()].map((d) => `${name}:${d.id}`));
  }
  private write<T extends { id: string; orgId: string }>(name: ContainerName, doc: T): void {
    this.in(name).set(`${doc.orgId}|${doc.id}`, structuredClone(doc) as Doc);
    this.written.push(`${name}:${doc.id}`);
  }
  private fault(key: string): void {
    if (this.faults.delete(key)) throw new Error(`fault: ${key}`);
  }
}

const at = NOW.toISOString();
const later = new Date(NOW.getTime() + 3_600_000).toISOString();
const outbox = (id: string, proofId: string): Doc => ({ id: `audit-outbox:${id}`, orgId: 'shop', docType: 'audit-outbox', proofId, createdAt: at });
const entry = (eventId: string) => ({ eventId, plate: 'OLD1', storeId: 's1', occurredAt: at, profileIds: [], violent: false, lossValue: 0, sensitive: false });

/** One old document of every kind, in every old container; an outbox document before the record it proves. */
function world(): Records {
  const r = new Records();
  r.put('matchkeys-unsharded', { id: 'key:fn:HEMI', orgId: 'shop', docType: 'matchkey', members: ['p-a', 'p-b'], count: 2, saturated: false });
  r.put('matchkeys-unsharded', { id: 'population', orgId: 'shop', docType: 'population', members: [], count: 2, saturated: false });
  r.put('idempotency-unsharded', { id: 'live', orgId: 'shop', docType: 'idempotency', requestHash: 'h', resourceId: 'r-live', state: 'done', createdAt: at, expiresAt: later });
  r.put('idempotency-unsharded', { id: 'expired', orgId: 'shop', docType: 'idempotency', requestHash: 'h', resourceId: 'r-old', state: 'done', createdAt: at, expiresAt: at });
  r.put('events-unsharded', outbox('event.create:e1', 'e1'));
  r.put('events-unsharded', { id: 'e1', orgId: 'shop', docType: 'event', createdAt: at });
  r.put('events-unsharded', { id: 'p1', orgId: 'shop', docType: 'profile', eventIds: ['e1'] });
  r.put('events-unsharded', { id: 'match-pending:e1', orgId: 'shop', docType: 'match-pending', eventId: 'e1' });
  r.put('events-unsharded', { id: 'plate:OLD1', orgId: 'shop', docType: 'plate-index', entries: [entry('e1')], truncated: false });
  r.put('links-unsharded', { id: 'link-1', orgId: 'shop', docType: 'link', status: 'pending' });
  r.put('evidence-unsharded', outbox('evidence.create:v1', 'v1'));
  r.put('evidence-unsharded', { id: 'v1', orgId: 'shop', docType: 'evidence', status: 'pending' });
  r.put('lpr-alerts-unsharded', outbox('lpr.alert:a1', 'a1'));
  r.put('lpr-alerts-unsharded', { id: 'a1', orgId: 'shop', docType: 'lpr-alert', plate: 'OLD1' });
  return r;
}

const ALL_MOVED = [
  { container: 'matchkeys-unsharded', documents: 2 },
  { container: 'idempotency-unsharded', documents: 2 },
  { container: 'events-unsharded', documents: 5 },
  { container: 'links-unsharded', documents: 1 },
  { container: 'evidence-unsharded', documents: 2 },
  { container: 'lpr-alerts-unsharded', documents: 2 },
];
const NONE_MOVED = LEGACY.map((container) => ({ container, documents: 0 }));
const quiet = () => ({ warn: jest.fn() });

describe('the shard migration in memory', () => {
  it('takes every old document into its successor, each in its own way, counts them per container, and empties the old containers', async () => {
    const r = world();
    const run = await shardMigration(r).migrateToShards(quiet(), NOW, 2);
    expect(run).toEqual({ moved: ALL_MOVED, failed: 0 });
    expect(r.left()).toEqual([]);
    expect(r.get('matchkeys', 'key:fn:HEMI')).toMatchObject({ members: ['p-a', 'p-b'], migrated: true });
    // The live record taken in; the expired one only dropped.
    expect(r.get('idempotency', 'live')).toMatchObject({ resourceId: 'r-live' });
    expect(r.get('idempotency', 'expired')).toBeUndefined();
    // The matching request under the id the matcher clears now.
    expect(r.get('events', 'match-pending@e1')).toMatchObject({ eventId: 'e1' });
    expect(r.get('events', 'match-pending:e1')).toBeUndefined();
    expect(r.get('plate-index', 'plate:OLD1')).toMatchObject({ entries: [entry('e1')] });
    expect(r.get('links', 'link-1')).toMatchObject({ status: 'pending' });
    // Each outbox document written after the record it proves, though listed before it.
    for (const [name, proof, doc] of [
      ['events', 'e1', 'audit-outbox:event.create:e1'],
      ['evidence', 'v1', 'audit-outbox:evidence.create:v1'],
      ['lpr-alerts', 'a1', 'audit-outbox:lpr.alert:a1'],
    ] as const) {
      expect(r.written.indexOf(`${name}:${proof}`)).toBeGreaterThanOrEqual(0);
      expect(r.written.indexOf(`${name}:${proof}`)).toBeLessThan(r.written.indexOf(`${name}:${doc}`));
    }
    // Each document written once, and dropped once.
    expect(new Set(r.written).size).toBe(r.written.length);
    expect(r.dropped).toHaveLength(14);
    expect(new Set(r.dropped).size).toBe(14);
  });

  it('a second run copies nothing again and drops nothing again', async () => {
    const r = world();
    const { migrateToShards } = shardMigration(r);
    await migrateToShards(quiet(), NOW);
    const before = structuredClone([...r.sharded]);
    r.written = [];
    r.dropped = [];
    expect(await migrateToShards(quiet(), NOW)).toEqual({ moved: NONE_MOVED, failed: 0 });
    expect(r.written).toEqual([]);
    expect(r.dropped).toEqual([]);
    expect([...r.sharded]).toEqual(before);
  });

  it('leaves a copy already in the sharded container as it is (written since, it is the newer), and drops the old one', async () => {
    const r = world();
    r.in('links').set('shop|link-1', { id: 'link-1', orgId: 'shop', docType: 'link', status: 'accepted' });
    r.in('events').set('shop|p1', { id: 'p1', orgId: 'shop', docType: 'profile', eventIds: ['e1', 'e2'] });
    r.in('idempotency').set('shop|live', { id: 'live', orgId: 'shop', docType: 'idempotency', resourceId: 'r-since' });
    const run = await shardMigration(r).migrateToShards(quiet(), NOW);
    expect(run).toEqual({ moved: ALL_MOVED, failed: 0 });
    expect(r.get('links', 'link-1')).toMatchObject({ status: 'accepted' });
    expect(r.get('events', 'p1')).toMatchObject({ eventIds: ['e1', 'e2'] });
    expect(r.get('idempotency', 'live')).toMatchObject({ resourceId: 'r-since' });
    expect(r.written).not.toContain('links:link-1');
    expect(r.left()).toEqual([]);
  });

  it('a document that cannot be moved is counted failed and warned about, stays where it is, and the rest are moved', async () => {
    const r = world();
    r.faults.add('copy events:p1');
    const log = quiet();
    const run = await shardMigration(r).migrateToShards(log, NOW, 1);
    expect(run.failed).toBe(1);
    expect(run.moved).toEqual(ALL_MOVED.map((m) => (m.container === 'events-unsharded' ? { ...m, documents: 4 } : m)));
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('next run retries'), { container: 'events-unsharded', orgId: 'shop', error: 'fault: copy events:p1' });
    expect(r.left()).toEqual(['events-unsharded:p1']);
    expect(r.get('events', 'p1')).toBeUndefined();
  });

  it('a document taken in but not dropped (a fault between the two) is finished by the next run and merged only once', async () => {
    const r = world();
    // Since the deployment intake has indexed one more person and written the key again.
    r.in('matchkeys').set('shop|population', { id: 'population', orgId: 'shop', docType: 'population', members: [], count: 1, saturated: false });
    r.in('matchkeys').set('shop|key:fn:HEMI', { id: 'key:fn:HEMI', orgId: 'shop', docType: 'matchkey', members: ['p-c'], count: 1, saturated: false });
    r.faults.add('drop matchkeys-unsharded:population');
    r.faults.add('drop matchkeys-unsharded:key:fn:HEMI');
    const { migrateToShards } = shardMigration(r);
    expect((await migrateToShards(quiet(), NOW)).failed).toBe(2);
    expect(r.left()).toEqual(['matchkeys-unsharded:key:fn:HEMI', 'matchkeys-unsharded:population']);

    const again = await migrateToShards(quiet(), NOW);
    expect(again).toEqual({ moved: NONE_MOVED.map((m) => (m.container === 'matchkeys-unsharded' ? { ...m, documents: 2 } : m)), failed: 0 });
    expect(r.left()).toEqual([]);
    expect(r.get('matchkeys', 'population')).toMatchObject({ count: 3, migrated: true });
    expect(r.get('matchkeys', 'key:fn:HEMI')).toMatchObject({ members: ['p-a', 'p-b', 'p-c'], count: 3, migrated: true });
    expect(r.written.filter((w) => w.startsWith('matchkeys:'))).toEqual(['matchkeys:key:fn:HEMI', 'matchkeys:population']);
  });

  it('a run that dies part-way (a page it cannot read) is finished by the next, every document written and dropped once', async () => {
    const r = world();
    r.faults.add('page events-unsharded:3');
    const { migrateToShards } = shardMigration(r);
    await expect(migrateToShards(quiet(), NOW, 1)).rejects.toThrow('fault: page events-unsharded:3');
    expect(r.left()).toHaveLength(3 + 1 + 2 + 2);

    const rest = await migrateToShards(quiet(), NOW, 1);
    expect(rest).toEqual({ moved: NONE_MOVED.map((m, i) => ({ ...m, documents: i < 2 ? 0 : ALL_MOVED[i]!.documents - (i === 2 ? 2 : 0) })), failed: 0 });
    expect(r.left()).toEqual([]);
    expect(new Set(r.written).size).toBe(r.written.length);
    expect(r.dropped).toHaveLength(14);
    expect(new Set(r.dropped).size).toBe(14);
    expect(r.get('events', 'match-pending@e1')).toBeDefined();
  });

  it('takes an old container an operator has deleted for an empty one', async () => {
    const r = world();
    r.deleted.add('evidence-unsharded');
    const run = await shardMigration(r).migrateToShards(quiet(), NOW);
    expect(run.moved).toContainEqual({ container: 'evidence-unsharded', documents: 0 });
    expect(r.left()).toEqual(['evidence-unsharded:audit-outbox:evidence.create:v1', 'evidence-unsharded:v1']);
  });
});

describe('the shard migration job on demand', () => {
  it('runs for the platform admin, after asking the table for job.run on the job', async () => {
    const r = world();
    const run = await shardMigration(r).runShardMigrationJob(callerAs('platform', 'PlatformAdmin', false), quiet());
    expect(run).toEqual({ moved: ALL_MOVED, failed: 0 });
    expect(r.table.asked).toEqual(['job.run job:shard-migrate']);
  });

  it('refuses every other role, of any organisation, before any document is read', async () => {
    const others = RoleSchema.options.filter((role) => role !== 'PlatformAdmin');
    expect(others).toHaveLength(RoleSchema.options.length - 1);
    for (const role of others) {
      for (const org of ['shop', 'police', 'platform']) {
        const r = world();
        await expect(shardMigration(r).runShardMigrationJob(callerAs(org, role), quiet())).rejects.toBeInstanceOf(ForbiddenError);
        expect(r.table.asked).toEqual(['job.run job:shard-migrate']);
        expect(r.pagesRead).toBe(0);
        expect(r.written).toEqual([]);
      }
    }
  });
});
