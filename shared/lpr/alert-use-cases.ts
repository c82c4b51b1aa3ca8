import type { z } from 'zod';
import { NotFoundError } from '../domain/errors';
import { decodeCursor, encodeCursor, type Cursor } from '../domain/events/event-list';
import type { LprAlert, LprAlertListQuerySchema } from '../domain/lpr/lpr-schema';
import { auditFor, authorizeAudited, outsiderAttempt, type AuditOf, type Caller } from '../audit/audited-authorize';
import { callerOrgType } from '../orgs/org-use-cases';
import { alertHolder, listAlerts, readAlert } from './alert-repository';

/** What the alert use cases read and write: the repository in the app, in-memory records in unit tests of this logic. */
export interface AlertStore {
  /** Refuses (audited) a caller who may not read the retailer's alerts. */
  authorize(caller: Caller, id: string): Promise<void>;
  listAlerts(retailerId: string, pageSize: number, after?: Cursor): Promise<{ items: LprAlert[]; next: Cursor | null }>;
  readAlert(retailerId: string, id: string): Promise<LprAlert | undefined>;
  /** The read, in the retailer's chain. */
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
  /** The retailer holding an alert of this id (asked on the path of a 404 only). */
  alertOwner(id: string): Promise<string | undefined>;
}

const cosmosRecords: AlertStore = {
  authorize: async (caller, id) => authorizeAudited(caller, 'lpr.alert.read', await callerOrgType(caller), { type: 'lpr-alert', id }),
  listAlerts,
  readAlert,
  audit: auditFor,
  alertOwner: alertHolder,
};

/** A retailer's licence-plate alerts (PRODUCT §6), over a store. */
export function alertUseCases(records: AlertStore) {
  /** The retailer's stored alerts, newest first (Investigator); audited with the ids shown. */
  async function listLprAlerts(caller: Caller, q: z.infer<typeof LprAlertListQuerySchema>): Promise<{ items: LprAlert[]; continuationToken: string | null }> {
    await records.authorize(caller, '*');
    const retailerId = caller.principal.orgId!;
    const page = await records.listAlerts(retailerId, q.pageSize, q.continuationToken ? decodeCursor(q.continuationToken) : undefined);
    await records.audit(caller, retailerId, {
      action: 'lpr.alert.list',
      target: { type: 'lpr-alert', id: '*' },
      details: { count: page.items.length, alertIds: page.items.map((a) => a.id) },
    });
    return { items: page.items, continuationToken: page.next ? encodeCursor(page.next) : null };
  }

  /** One alert of the caller's retailer; another retailer's answers 404 like a missing one. */
  async function getLprAlert(caller: Caller, id: string): Promise<LprAlert> {
    await records.authorize(caller, id);
    const retailerId = caller.principal.orgId!;
    const alert = await records.readAlert(retailerId, id);
    if (!alert) {
      // Another retailer's alert: 404, and the attempt in that retailer's chain.
      const owner = await records.alertOwner(id);
      if (owner && owner !== retailerId) await records.audit(caller, owner, outsiderAttempt('lpr.alert.read', { type: 'lpr-alert', id }));
      throw new NotFoundError();
    }
    await records.audit(caller, retailerId, {
      action: 'lpr.alert.read',
      target: { type: 'lpr-alert', id },
      details: { eventIds: alert.eventIds, profileIds: alert.profileIds },
    });
    return alert;
  }

  return { listLprAlerts, getLprAlert };
}

export const { listLprAlerts, getLprAlert } = alertUseCases(cosmosRecords);
