import type { z } from 'zod';
import { NotFoundError } from '../domain/errors';
import { decodeCursor, encodeCursor } from '../domain/events/event-list';
import type { LprAlert, LprAlertListQuerySchema } from '../domain/lpr/lpr-schema';
import { auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { callerOrgType } from '../orgs/org-use-cases';
import { listAlerts, readAlert } from './alert-repository';

/** The retailer's stored alerts, newest first (Investigator); audited with the ids shown. */
export async function listLprAlerts(caller: Caller, q: z.infer<typeof LprAlertListQuerySchema>): Promise<{ items: LprAlert[]; continuationToken: string | null }> {
  await authorizeAudited(caller, 'lpr.alert.read', await callerOrgType(caller), { type: 'lpr-alert', id: '*' });
  const retailerId = caller.principal.orgId!;
  const page = await listAlerts(retailerId, q.pageSize, q.continuationToken ? decodeCursor(q.continuationToken) : undefined);
  await auditFor(caller, retailerId, {
    action: 'lpr.alert.list',
    target: { type: 'lpr-alert', id: '*' },
    details: { count: page.items.length, alertIds: page.items.map((a) => a.id) },
  });
  return { items: page.items, continuationToken: page.next ? encodeCursor(page.next) : null };
}

/** One alert of the caller's retailer; another retailer's answers 404 like a missing one. */
export async function getLprAlert(caller: Caller, id: string): Promise<LprAlert> {
  await authorizeAudited(caller, 'lpr.alert.read', await callerOrgType(caller), { type: 'lpr-alert', id });
  const retailerId = caller.principal.orgId!;
  const alert = await readAlert(retailerId, id);
  if (!alert) throw new NotFoundError();
  await auditFor(caller, retailerId, {
    action: 'lpr.alert.read',
    target: { type: 'lpr-alert', id },
    details: { eventIds: alert.eventIds, profileIds: alert.profileIds },
  });
  return alert;
}
