import { applySettingsUpdate, changedSettings, type RetailerSettings, type SettingsUpdate } from '../domain/retailer-settings';
import { PreconditionFailedError } from '../domain/errors';
import { randomUUID } from 'node:crypto';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import type { OutboxDraft } from '../audit/audit-outbox-repository';
import { getSettings, saveSettings, type VersionedSettings } from './org-repository';
import { callerOrgType } from './org-use-cases';
import { requestRetier } from '../matching/retier-queue';

/** What the settings use cases read and write: the repository in the app, in-memory records in unit tests of this logic. */
export interface SettingsStore {
  /** Refuses (audited) a caller who may not perform `action` on the retailer's settings. */
  authorize(caller: Caller, action: 'settings.read' | 'settings.update', orgId: string): Promise<void>;
  /** The settings with their version (null: never saved, the defaults). */
  getSettings(orgId: string): Promise<VersionedSettings>;
  /** Saves over the version read (null: expected absent) with the change's entry in the same batch; 412 if it moved. Returns the new version. */
  saveSettings(orgId: string, settings: RetailerSettings, etag: string | null, entry: OutboxDraft): Promise<string>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(orgId: string, entry: OutboxDraft): Promise<void>;
  /** Asks for every profile's risk tiers again (in the background), under the settings now saved. */
  requestRetier(orgId: string): Promise<void>;
}

const cosmosRecords: SettingsStore = {
  authorize: async (caller, action, orgId) => authorizeAudited(caller, action, await callerOrgType(caller), { type: 'settings', id: orgId }),
  getSettings,
  saveSettings,
  settleFreshAudit: (orgId, entry) => settleFreshAudit(orgId, { ...entry, where: 'orgs-audit-outbox' }),
  requestRetier: (orgId) => requestRetier(orgId),
};

/** The ETag of a retailer's settings before it ever saved any (the defaults): a client that read them may state it. */
const DEFAULTS_VERSION = 'defaults';

/** A retailer's settings (PRODUCT §8), over a store. */
export function settingsUseCases(store: SettingsStore) {
  async function readSettings(caller: Caller): Promise<VersionedSettings> {
    const orgId = caller.principal.orgId ?? '';
    await store.authorize(caller, 'settings.read', orgId);
    const found = await store.getSettings(orgId);
    return { ...found, etag: found.etag ?? DEFAULTS_VERSION };
  }

  /**
   * Merges the update into the current settings. With If-Match the change applies only to
   * the version the admin read; without it, to the version read here (still never a blind
   * overwrite of a concurrent change).
   */
  async function updateSettings(caller: Caller, update: SettingsUpdate, ifMatch: ((current: string) => boolean) | null): Promise<VersionedSettings> {
    const orgId = caller.principal.orgId ?? '';
    await store.authorize(caller, 'settings.update', orgId);
    const current = await store.getSettings(orgId);
    if (ifMatch && !ifMatch(current.etag ?? DEFAULTS_VERSION)) throw new PreconditionFailedError();
    const next = applySettingsUpdate(current.settings, update);
    const entry = {
      key: `settings.update:${orgId}:${randomUUID()}`,
      draft: auditDraftFor(caller, { action: 'settings.update', target: { type: 'settings', id: orgId }, details: { changed: changedSettings(current.settings, next) } }),
    };
    const etag = await store.saveSettings(orgId, next, current.etag, entry);
    await store.settleFreshAudit(orgId, entry);
    // Profiles carry their tiers (PRODUCT §6b): asked whenever tiers are given, so a retry of a
    // request that saved them and failed before this asks again. And their pictures' keys where
    // images are matched (§4): asked when that changes (a form that sends every setting on each
    // save does not re-index every profile each time).
    const imagesSwitched = next.connectTheDots.imageMatching !== current.settings.connectTheDots.imageMatching;
    if (update.riskTiers !== undefined || imagesSwitched) await store.requestRetier(orgId);
    return { settings: next, etag };
  }

  return { readSettings, updateSettings };
}

export const { readSettings, updateSettings } = settingsUseCases(cosmosRecords);
