import { authorizeAudited, type Caller } from '../audit/audited-authorize';
import { NotFoundError } from '../domain/errors';
import { callerOrgType } from '../orgs/org-use-cases';
import { getOrg } from '../orgs/org-repository';
import { runRetentionSweep, type SweepRun } from './retention-sweep';
import type { Logger } from '../telemetry/logger';

/** The sweep on demand (PlatformAdmin): the same run as the daily timer, optionally for one retailer or a smaller bound. */
export async function runRetentionSweepJob(
  caller: Caller,
  log: Pick<Logger, 'warn'>,
  query: { retailerId?: string | undefined; maxEvents?: number | undefined },
): Promise<SweepRun> {
  await authorizeAudited(caller, 'job.run', await callerOrgType(caller), { type: 'job', id: 'retention-sweep' });
  if (query.retailerId && (await getOrg(query.retailerId))?.type !== 'retailer') throw new NotFoundError('No such retailer.');
  return runRetentionSweep(log, {
    requestId: caller.requestId,
    trigger: 'admin',
    ...(query.retailerId ? { retailerIds: [query.retailerId] } : {}),
    ...(query.maxEvents ? { maxEventsPerRetailer: query.maxEvents } : {}),
  });
}
