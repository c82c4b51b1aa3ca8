import { settleAudit } from '../audit/audit-outbox';
import { formerPartnersOf } from '../sharing/agreement-repository';
import { alertsNaming, alertsStoredBefore, deleteAlert, outboxKeysProvenBy, type AlertRef } from './alert-repository';

/*
 * LPR alerts leave with what they hold: a plate, and the events and people it pointed at. An
 * alert also proves its batch's audit entries (lpr-reads.ts): entries still waiting in the outbox
 * with it as their proof are appended first, or the audit sweep would find no proof and drop them.
 */

async function removeAlerts(alerts: readonly AlertRef[]): Promise<number> {
  for (const alert of alerts) {
    for (const key of await outboxKeysProvenBy(alert)) await settleAudit(alert.orgId, key, 'lpr-alerts-audit-outbox');
    await deleteAlert(alert);
  }
  return alerts.length;
}

/** Retention: at most `max` of the retailer's alerts stored before the cutoff; how many. */
export async function deleteAlertsBefore(retailerId: string, cutoff: string, max: number): Promise<number> {
  return removeAlerts(await alertsStoredBefore(retailerId, cutoff, max));
}

/**
 * A purge or an erasure: the alerts that name the retailer's events or person, its own and those
 * of retailers it has had an agreement with (their cameras may have read its events' plates);
 * how many.
 */
export async function deleteAlertsNaming(retailerId: string, of: { eventIds: readonly string[] } | { profileId: string }): Promise<number> {
  return removeAlerts(await alertsNaming(retailerId, [retailerId, ...(await formerPartnersOf(retailerId))], of));
}
