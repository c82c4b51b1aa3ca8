import { ifMatchOf } from '../../../shared/http/etag';
import { settingsUseCases, type SettingsStore } from '../../../shared/orgs/settings-use-cases';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { TableAuthorizer } from '../support/table-authorize';
import type { Role } from '../../../shared/domain/principal';
import { ForbiddenError, PreconditionFailedError } from '../../../shared/domain/errors';
import { callerAs } from '../support/caller';

/**
 * A retailer's settings on their own, over a versioned record in memory: defaults before the first
 * save, a merge that names what changed in its entry, If-Match, and a change raced by another
 * admin. The same run against the emulator in test/integration/app/orgs-stores-settings.test.ts.
 */
class Records implements SettingsStore {
  docs = new Map<string, { settings: RetailerSettings; etag: string }>();
  appended: { orgId: string; changed: unknown }[] = [];
  /** Another admin saves between this update's read and its write. */
  raceNextSave = false;
  private version = 0;

  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : undefined));
  authorize = (caller: Caller, action: 'settings.read' | 'settings.update', orgId: string) => this.table.check(caller, action, orgId);
  getSettings = (orgId: string) => {
    const doc = this.docs.get(orgId);
    return Promise.resolve(doc ? structuredClone(doc) : { settings: structuredClone(DEFAULT_SETTINGS), etag: null });
  };
  saveSettings = (orgId: string, settings: RetailerSettings, etag: string | null, _entry: Omit<OutboxEntry, 'where'>) => {
    if (this.raceNextSave) {
      this.raceNextSave = false;
      this.docs.set(orgId, { settings: { ...DEFAULT_SETTINGS, retentionDays: 30 }, etag: `"${++this.version}"` });
    }
    if ((this.docs.get(orgId)?.etag ?? null) !== etag) return Promise.reject(new PreconditionFailedError());
    const next = `"${++this.version}"`;
    this.docs.set(orgId, { settings: structuredClone(settings), etag: next });
    return Promise.resolve(next);
  };
  settleFreshAudit = (orgId: string, entry: Omit<OutboxEntry, 'where'>) => {
    this.appended.push({ orgId, changed: (entry.draft.details as { changed: string[] }).changed });
    return Promise.resolve();
  };
  /** Retailers whose profiles' tiers were asked for again, in order. */
  retiers: string[] = [];
  requestRetier = (orgId: string) => {
    this.retiers.push(orgId);
    return Promise.resolve();
  };
}

const as = (role: Role): Caller => callerAs('shop', role);

function world() {
  const records = new Records();
  return { records, ...settingsUseCases(records) };
}

describe("a retailer's settings, over an in-memory record", () => {
  it('risk tiers given ask for every profile\'s tiers again, after the save (a retry with the same tiers asks again); other changes do not', async () => {
    const { records, updateSettings } = world();
    await updateSettings(as('RetailerAdmin'), { retentionDays: 365 }, null);
    expect(records.retiers).toEqual([]);
    const tiers = [{ name: 'frequent', when: { events: 2 } }];
    await updateSettings(as('RetailerAdmin'), { riskTiers: tiers }, null);
    await updateSettings(as('RetailerAdmin'), { riskTiers: tiers }, null);
    expect(records.retiers).toEqual(['shop', 'shop']);
  });

  it('answers the defaults before the first save; an update merges, names what changed in its entry, and gives a new version', async () => {
    const { records, readSettings, updateSettings } = world();
    expect(await readSettings(as('RetailerAdmin'))).toEqual({ settings: DEFAULT_SETTINGS, etag: 'defaults' });
    const saved = await updateSettings(as('RetailerAdmin'), { retentionDays: 365, connectTheDots: { crossRetailer: true } }, null);
    expect(saved.settings).toMatchObject({ retentionDays: 365, connectTheDots: { crossRetailer: true, imageMatching: false }, policeSharing: DEFAULT_SETTINGS.policeSharing });
    expect(saved.etag).toBe(records.docs.get('shop')!.etag);
    expect(records.appended).toEqual([{ orgId: 'shop', changed: ['retentionDays', 'connectTheDots'] }]);
    expect(await readSettings(as('RetailerAdmin'))).toEqual(saved);
  });

  it('with If-Match, applies only to the version read (412 for an older one, nothing saved); a weak or quoted match is the same version', async () => {
    const { records, updateSettings } = world();
    const first = await updateSettings(as('RetailerAdmin'), { retentionDays: 400 }, null);
    const second = await updateSettings(as('RetailerAdmin'), { retentionDays: 500 }, ifMatchOf(first.etag));
    await expect(updateSettings(as('RetailerAdmin'), { retentionDays: 600 }, ifMatchOf(first.etag))).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(records.docs.get('shop')!.settings.retentionDays).toBe(500);
    await updateSettings(as('RetailerAdmin'), { retentionDays: 700 }, ifMatchOf(`W/${second.etag}`));
    expect(records.docs.get('shop')!.settings.retentionDays).toBe(700);
    // If-Match on a retailer that never saved: there is no version to match.
    const fresh = new Records();
    await expect(settingsUseCases(fresh).updateSettings(as('RetailerAdmin'), { retentionDays: 90 }, ifMatchOf('"1"'))).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it("without If-Match, another admin's save between the read and the write is not overwritten (412), and no entry is appended", async () => {
    const { records, updateSettings } = world();
    records.raceNextSave = true;
    await expect(updateSettings(as('RetailerAdmin'), { retentionDays: 365 }, null)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(records.docs.get('shop')!.settings.retentionDays).toBe(30);
    expect(records.appended).toEqual([]);
  });

  it('the table decides who reads and who changes them', async () => {
    const { updateSettings, readSettings } = world();
    await expect(updateSettings(as('Investigator'), { retentionDays: 365 }, null)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(readSettings(as('Compliance'))).rejects.toBeInstanceOf(ForbiddenError);
    const noSecondFactor = as('RetailerAdmin');
    noSecondFactor.principal.mfa = false;
    await expect(updateSettings(noSecondFactor, { retentionDays: 365 }, null)).rejects.toMatchObject({ code: 'MFA_REQUIRED' });
    expect(await readSettings(noSecondFactor)).toMatchObject({ etag: 'defaults' });
  });
});
