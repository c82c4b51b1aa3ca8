import { retentionUseCases, type RetentionJobStore } from '../../../shared/retention/retention-use-cases';
import type { SweepOptions, SweepRun } from '../../../shared/retention/retention-sweep';
import type { OrgType } from '../../../shared/domain/organisation';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * The retention sweep on demand: the platform admin's only, one retailer or all, a bound passed
 * through, and an id that is not a retailer answered 404 before anything is swept. The sweep
 * itself is tested against the emulators in test/integration/app/retention*.test.ts.
 */
class Records implements RetentionJobStore {
  orgs: Record<string, OrgType> = { shop: 'retailer', police: 'agency' };
  runs: SweepOptions[] = [];
  table = new TableAuthorizer(() => undefined);

  authorize = (caller: Caller) => this.table.check(caller, 'job.run', 'retention-sweep');
  orgType = (orgId: string) => Promise.resolve(this.orgs[orgId]);
  runRetentionSweep = (_log: unknown, options: SweepOptions): Promise<SweepRun> => {
    this.runs.push(options);
    const t = '2026-12-01T02:00:00.000Z';
    return Promise.resolve({ startedAt: t, finishedAt: t, retailers: [], totals: {} as SweepRun['totals'], more: false, failed: [] });
  };
}

const admin = callerAs('platform', 'PlatformAdmin');

describe('the retention sweep on demand', () => {
  it('runs every retailer, or one, with the bound asked for, as the admin asked it (request id, trigger)', async () => {
    const records = new Records();
    const run = retentionUseCases(records);
    await run(admin, console, {});
    await run(admin, console, { retailerId: 'shop', maxEvents: 50 });
    expect(records.runs).toEqual([
      { requestId: 'r1', trigger: 'admin' },
      { requestId: 'r1', trigger: 'admin', retailerIds: ['shop'], maxEventsPerRetailer: 50 },
    ]);
  });

  it('an id that is not a retailer is 404, an agency or nothing at all, and nothing is swept', async () => {
    const records = new Records();
    const run = retentionUseCases(records);
    await expect(run(admin, console, { retailerId: 'police' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(run(admin, console, { retailerId: 'nobody' })).rejects.toBeInstanceOf(NotFoundError);
    expect(records.runs).toEqual([]);
  });

  it("is the platform admin's alone: a retailer's admin is refused before any organisation is read", async () => {
    const records = new Records();
    const run = retentionUseCases(records);
    await expect(run(callerAs('shop', 'RetailerAdmin'), console, { retailerId: 'shop' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.runs).toEqual([]);
    expect(records.table.asked).toEqual(['job.run retention-sweep']);
  });
});
