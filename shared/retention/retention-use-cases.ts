import { authorizeAudited, type Caller } from '../audit/audited-authorize';
import { NotFoundError } from '../domain/errors';
import type { OrgType } from '../domain/organisation';
import { callerOrgType } from '../orgs/org-use-cases';
import { getOrg } from '../orgs/org-repository';
import { runRetentionSweep, type SweepOptions, type SweepRun } from './retention-sweep';
import type { Logger } from '../telemetry/logger';

/** What the sweep on demand asks: the table, the organisations and the sweep itself in the app; records in memory in unit tests. */
export interface RetentionJobStore {
  /** Refuses (audited) a caller who may not run the job. */
  authorize(caller: Caller): Promise<void>;
  /** An organisation's type, or undefined when there is none by that id. */
  orgType(orgId: string): Promise<OrgType | undefined>;
  runRetentionSweep(log: Pick<Logger, 'warn'>, options: SweepOptions): Promise<SweepRun>;
}

const cosmosRecords: RetentionJobStore = {
  authorize: async (caller) => authorizeAudited(caller, 'job.run', await callerOrgType(caller), { type: 'job', id: 'retention-sweep' }),
  orgType: async (orgId) => (await getOrg(orgId))?.type,
  runRetentionSweep,
};

/** The sweep on demand (PlatformAdmin), over a store. */
export function retentionUseCases(store: RetentionJobStore) {
  /** The same run as the daily timer, optionally for one retailer or a smaller bound; a retailer that does not exist is 404. */
  return async function runRetentionSweepJob(
    caller: Caller,
    log: Pick<Logger, 'warn'>,
    query: { retailerId?: string | undefined; maxEvents?: number | undefined },
  ): Promise<SweepRun> {
    await store.authorize(caller);
    if (query.retailerId && (await store.orgType(query.retailerId)) !== 'retailer') throw new NotFoundError('No such retailer.');
    return store.runRetentionSweep(log, {
      requestId: caller.requestId,
      trigger: 'admin',
      ...(query.retailerId ? { retailerIds: [query.retailerId] } : {}),
      ...(query.maxEvents ? { maxEventsPerRetailer: query.maxEvents } : {}),
    });
  };
}

export const runRetentionSweepJob = retentionUseCases(cosmosRecords);
