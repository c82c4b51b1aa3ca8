import { auditUseCases, type AuditStore } from '../../../shared/audit/audit-use-cases';
import { hashEntry, sealEntry, GENESIS_HASH, type AuditEntry } from '../../../shared/domain/audit-chain';
import { digestRecordFor, type DigestRecord } from '../../../shared/domain/audit-digest';
import type { ChainRange } from '../../../shared/audit/audit-entry-repository';
import type { SeqRun } from '../../../shared/audit/audit-run-reader';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Verifying a chain on its own, over a chain in memory: an untouched chain, an entry edited, one
 * removed, a history rewritten and re-hashed that only the digests outside the database catch, a
 * tail cut off, a time range, and the verdict recorded in the chain it judged. The same against
 * the emulator in the integration tests of the audit chain.
 */
class Records implements AuditStore {
  chains = new Map<string, AuditEntry[]>();
  digests: DigestRecord[] = [];
  audited: { orgId: string; entry: AuditOf }[] = [];
  jobs: string[] = [];
  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : undefined));

  authorize = (caller: Caller, action: 'audit.verify' | 'job.run', target: { type: string; id: string }) => this.table.check(caller, action, `${target.type}:${target.id}`);
  resolveRun = (orgId: string, range: ChainRange): Promise<SeqRun> => {
    const chain = this.chains.get(orgId) ?? [];
    // As the repository: instants compared as instants, whatever offset a bound is written with.
    const from = range.from ? chain.find((e) => Date.parse(e.at) >= Date.parse(range.from!))?.seq ?? chain.length + 1 : 1;
    const to = range.to ? [...chain].reverse().find((e) => Date.parse(e.at) <= Date.parse(range.to!))?.seq ?? 0 : chain.at(-1)?.seq ?? 0;
    return Promise.resolve({ firstSeq: from, lastSeq: to });
  };
  readRun = async function* (this: Records, orgId: string, run: SeqRun) {
    const chain = this.chains.get(orgId) ?? [];
    for (let seq = run.firstSeq; seq <= run.lastSeq; seq++) yield await Promise.resolve({ seq, entry: structuredClone(chain.find((e) => e.seq === seq)) });
  };
  readDigests = (orgId: string) => Promise.resolve({ records: this.digests.filter((d) => d.orgId === orgId) });
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };
  runAuditDigest = () => {
    this.jobs.push('digest');
    return Promise.resolve({ digestedAt: '2026-06-02T00:00:00.000Z', written: [], failed: [] });
  };
  migrateAuditChains = () => {
    this.jobs.push('migrate');
    return Promise.resolve({ migrated: [], alreadySegmented: 2, failed: [] });
  };

  /** Appends `n` entries to the organisation's chain, a minute apart from 09:00 on 1 June 2026. */
  append(orgId: string, n: number): void {
    const chain = this.chains.get(orgId) ?? [];
    for (let i = 0; i < n; i++) {
      const seq = chain.length + 1;
      const at = new Date(Date.UTC(2026, 5, 1, 9, seq - 1));
      chain.push(sealEntry({ actor: { sub: 'u1', org: orgId, roles: ['Reporter'] }, action: 'event.read', target: { type: 'event', id: `e${seq}` }, outcome: 'success', requestId: `r${seq}` }, seq, chain.at(-1)?.hash ?? GENESIS_HASH, at));
    }
    this.chains.set(orgId, chain);
  }

  digest(orgId: string, seq: number): void {
    this.digests.push(digestRecordFor(orgId, this.chains.get(orgId)![seq - 1]!, new Date('2026-06-02T00:00:00Z')));
  }
}

const compliance = callerAs('shop', 'Compliance');

function world() {
  const records = new Records();
  records.append('shop', 20);
  records.append('other', 5);
  return { records, ...auditUseCases(records) };
}

describe('verifying an audit chain in memory', () => {
  it('an untouched chain verifies, and the verdict is recorded in the chain it judged', async () => {
    const { records, verifyAuditChain } = world();
    records.digest('shop', 10);
    expect(await verifyAuditChain(compliance, {})).toEqual({ ok: true, entries: 20, firstBadSeq: null, digestsChecked: 1 });
    expect(records.audited).toEqual([
      { orgId: 'shop', entry: { action: 'audit.verify', target: { type: 'audit-chain', id: 'shop' }, details: { ok: true, entries: 20, firstBadSeq: null, digestsChecked: 1, from: null, to: null } } },
    ]);
  });

  it('an entry edited in place breaks at its seq', async () => {
    const { records, verifyAuditChain } = world();
    records.chains.get('shop')![6]!.details = { note: 'edited' };
    expect(await verifyAuditChain(compliance, {})).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('an entry removed is missing at its seq', async () => {
    const { records, verifyAuditChain } = world();
    records.chains.set('shop', records.chains.get('shop')!.filter((e) => e.seq !== 12));
    expect(await verifyAuditChain(compliance, {})).toMatchObject({ ok: false, firstBadSeq: 12, entries: 19 });
  });

  it('a history rewritten and re-hashed from seq 5 verifies as a chain, and the digest of seq 10 finds it there', async () => {
    const { records, verifyAuditChain } = world();
    records.digest('shop', 10);
    const chain = records.chains.get('shop')!;
    chain[4]!.details = { note: 'rewritten' };
    for (let i = 4; i < chain.length; i++) {
      const { hash: _, ...rest } = { ...chain[i]!, prevHash: chain[i - 1]!.hash };
      chain[i] = { ...rest, hash: hashEntry(rest) };
    }
    expect(await verifyAuditChain(compliance, {})).toMatchObject({ ok: false, firstBadSeq: 10, digestsChecked: 1 });
  });

  it('a tail cut off past a digested head is found after the last entry left', async () => {
    const { records, verifyAuditChain } = world();
    records.digest('shop', 18);
    records.chains.set('shop', records.chains.get('shop')!.slice(0, 15));
    expect(await verifyAuditChain(compliance, {})).toMatchObject({ ok: false, entries: 15, firstBadSeq: 16 });
  });

  it('a range verifies its run alone, linked to the entry before it, with the range in the verdict entry', async () => {
    const { records, verifyAuditChain } = world();
    records.chains.get('shop')![1]!.details = { note: 'edited before the range' };
    const range = { from: '2026-06-01T21:05:00.000+12:00', to: '2026-06-01T09:09:00.000Z' };
    expect(await verifyAuditChain(compliance, range)).toEqual({ ok: true, entries: 5, firstBadSeq: null, digestsChecked: 0 });
    expect(records.audited[0]!.entry.details).toMatchObject({ entries: 5, ...range });
  });

  it("asks the one table: only the retailer's Compliance verifies its own chain; jobs are the platform admin's", async () => {
    const { records, verifyAuditChain, runAuditDigestJob, runAuditMigrationJob } = world();
    await expect(verifyAuditChain(callerAs('shop', 'Investigator'), {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runAuditDigestJob(compliance, console)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.audited).toEqual([]);
    expect(records.jobs).toEqual([]);
    expect(await runAuditDigestJob(callerAs('platform', 'PlatformAdmin'), console)).toMatchObject({ written: [] });
    expect(await runAuditMigrationJob(callerAs('platform', 'PlatformAdmin'), console)).toMatchObject({ alreadySegmented: 2 });
    expect(records.jobs).toEqual(['digest', 'migrate']);
    expect(records.table.asked).toEqual(['audit.verify audit-chain:shop', 'job.run job:audit-digest', 'job.run job:audit-digest', 'job.run job:audit-migrate']);
  });
});
