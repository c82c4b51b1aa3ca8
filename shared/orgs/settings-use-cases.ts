import { applySettingsUpdate, changedSettings, type SettingsUpdate } from '../domain/retailer-settings';
import { PreconditionFailedError } from '../domain/errors';
import { etagMatches } from '../domain/etag';
import { auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
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
  const etag = await saveSettings(orgId, next, current.etag);
  await auditFor(caller, orgId, {
    action: 'settings.update',
    target: { type: 'settings', id: orgId },
    details: { changed: changedSettings(current.settings, next) },
  });
  return { settings: next, etag };
}
