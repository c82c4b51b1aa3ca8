import { applySettingsUpdate, changedSettings, type SettingsUpdate } from '../domain/retailer-settings';
import { PreconditionFailedError } from '../domain/errors';
import { etagMatches } from '../http/etag';
import { randomUUID } from 'node:crypto';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { getSettings, saveSettings, type VersionedSettings } from './org-repository';
import { callerOrgType } from './org-use-cases';

export async function readSettings(caller: Caller): Promise<VersionedSettings> {
  const orgId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'settings.read', await callerOrgType(caller), { type: 'settings', id: orgId });
  return getSettings(orgId);
}

/**
 * Merges the update into the current settings. With If-Match the change applies only to
 * the version the admin read; without it, to the version read here (still never a blind
 * overwrite of a concurrent change).
 */
export async function updateSettings(
  caller: Caller,
  update: SettingsUpdate,
  ifMatch: string | null,
): Promise<VersionedSettings> {
  const orgId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'settings.update', await callerOrgType(caller), { type: 'settings', id: orgId });
  const current = await getSettings(orgId);
  if (ifMatch && !(current.etag && etagMatches(ifMatch, current.etag))) throw new PreconditionFailedError();
  const next = applySettingsUpdate(current.settings, update);
  const entry = {
    key: `settings.update:${orgId}:${randomUUID()}`,
    draft: auditDraftFor(caller, { action: 'settings.update', target: { type: 'settings', id: orgId }, details: { changed: changedSettings(current.settings, next) } }),
  };
  const etag = await saveSettings(orgId, next, current.etag, entry);
  await settleFreshAudit(orgId, { ...entry, where: 'orgs-audit-outbox' });
  return { settings: next, etag };
}
