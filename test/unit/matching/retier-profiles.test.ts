import { profileRetiering, type RetierStore } from '../../../shared/matching/retier-profiles';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';

/** Re-tiering over profiles in memory: every profile once, a page a message, the next page asked for by a full one. */
class Records implements RetierStore {
  ids: string[] = [];
  reindexed: string[] = [];
  asked: { retailerId: string; after: string }[] = [];
  settings: RetailerSettings = { ...structuredClone(DEFAULT_SETTINGS), riskTiers: [{ name: 'frequent', when: { events: 2 } }] };
  getSettings = async () => ({ settings: this.settings });
  profileIdsAfter = async (_retailerId: string, after: string | undefined, limit: number) => this.ids.filter((id) => after === undefined || id > after).slice(0, limit);
  reindexProfile = async (_retailerId: string, id: string, settings: RetailerSettings) => {
    expect(settings.riskTiers.map((t) => t.name)).toEqual(['frequent']);
    this.reindexed.push(id);
  };
  requestRetier = async (retailerId: string, after: string) => void this.asked.push({ retailerId, after });
}

describe('risk tiers again after they change', () => {
  it('walks every profile once, in pages of 100, each full page asking for the next, under the settings as saved', async () => {
    const records = new Records();
    records.ids = Array.from({ length: 230 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    const retier = profileRetiering(records);
    let message: Parameters<typeof retier>[0] = { retier: { retailerId: 'shop' } };
    const pages: number[] = [];
    for (;;) {
      pages.push(await retier(message));
      const next = records.asked.at(-1);
      if (!next || next.after === message.retier.after) break;
      message = { retier: { retailerId: 'shop', after: next.after } };
      if (pages.length > 5) break;
    }
    expect(pages).toEqual([100, 100, 30]);
    expect(records.reindexed).toEqual(records.ids);
    expect(records.asked).toEqual([
      { retailerId: 'shop', after: 'p099' },
      { retailerId: 'shop', after: 'p199' },
    ]);
  });
});
