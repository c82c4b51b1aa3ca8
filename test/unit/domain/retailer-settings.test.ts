import { riskTiersAt, riskTiersOf, tierWindowOf } from '../../../shared/domain/risk-tiers';
import {
  applySettingsUpdate,
  changedSettings,
  DEFAULT_SETTINGS,
  SettingsUpdateSchema,
} from '../../../shared/domain/retailer-settings';

describe('settings', () => {
  it('defaults match the product', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      retentionDays: 730,
      policeSharing: 'jurisdiction',
      connectTheDots: { crossRetailer: false, imageMatching: false },
      lprAlerts: { minEvents: 1, violentOnly: false, minLossValue: 0 },
      riskTiers: [
        { name: 'extreme-threat', when: { weaponUsed: true } },
        { name: 'serious-threat', when: { violentEvents: 2 } },
        { name: 'high-loss', when: { lossValue: 1000, days: 90 } },
      ],
    });
  });
  it('an update keeps what it does not mention, nested groups included', () => {
    const next = applySettingsUpdate(DEFAULT_SETTINGS, { retentionDays: 365, connectTheDots: { crossRetailer: true } });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, retentionDays: 365, connectTheDots: { crossRetailer: true, imageMatching: false } });
    expect(changedSettings(DEFAULT_SETTINGS, next)).toEqual(['retentionDays', 'connectTheDots']);
  });
  it.each([
    [{ retentionDays: 29 }],
    [{ retentionDays: 3651 }],
    [{ retentionDays: 100.5 }],
    [{ retentionDays: '365' }],
    [{ policeSharing: 'everyone' }],
    [{ connectTheDots: { crossRetailer: 'yes' } }],
    [{ lprAlerts: { minEvents: 0 } }],
    [{ lprAlerts: { minLossValue: -1 } }],
    [{ unknown: true }],
    [{ connectTheDots: { other: true } }],
    [{ riskTiers: [{ name: 'Bad Name', when: { weaponUsed: true } }] }],
    [{ riskTiers: [{ name: 'a', when: { days: 30 } }] }],
    [{ riskTiers: [{ name: 'a', when: { weaponUsed: true } }, { name: 'a', when: { events: 3 } }] }],
    [{ riskTiers: [{ name: 'a', when: { weaponUsed: false } }] }],
  ])('rejects %j', (body) => {
    expect(SettingsUpdateSchema.safeParse(body).success).toBe(false);
  });
  it.each([[{ retentionDays: 30 }], [{ retentionDays: 3650 }], [{ policeSharing: 'none' }], [{}], [{ riskTiers: [] }], [{ riskTiers: [{ name: 'frequent', when: { events: 5, days: 30 } }] }]])('accepts %j', (body) => {
    expect(SettingsUpdateSchema.safeParse(body).success).toBe(true);
  });
});

describe('risk tiers', () => {
  const { DEFAULT_RISK_TIERS } = jest.requireActual('../../../shared/domain/risk-tiers') as typeof import('../../../shared/domain/risk-tiers');
  const now = new Date('2026-12-03T12:00:00Z');
  const ev = (daysAgo: number, o: Partial<{ violent: boolean; weapon: boolean; loss: number }> = {}) => ({
    occurredAt: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
    violent: false,
    weapon: false,
    loss: 0,
    ...o,
  });
  it('reaches each default tier by its own criterion, with the reason', () => {
    expect(riskTiersOf([ev(400, { violent: true, weapon: true })], DEFAULT_RISK_TIERS, now)).toEqual([{ name: 'extreme-threat', reason: '1 event(s) with a weapon' }]);
    expect(riskTiersOf([ev(10, { violent: true }), ev(500, { violent: true })], DEFAULT_RISK_TIERS, now).map((t) => t.name)).toEqual(['serious-threat']);
    expect(riskTiersOf([ev(10, { loss: 600 }), ev(80, { loss: 400 })], DEFAULT_RISK_TIERS, now)).toEqual([{ name: 'high-loss', reason: 'loss value 1000.00 in the last 90 days' }]);
    // Loss from outside the window does not count.
    expect(riskTiersOf([ev(10, { loss: 600 }), ev(120, { loss: 400 })], DEFAULT_RISK_TIERS, now)).toEqual([]);
  });
});

describe('tiers within days as time passes (tierWindowOf, riskTiersAt)', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const event = (occurredAt: string, loss: number, weapon = false) => ({ occurredAt, violent: weapon, weapon, loss });
  const tiers = [
    { name: 'extreme-threat', when: { weaponUsed: true as const } },
    { name: 'high-loss', when: { lossValue: 1000, days: 90 } },
    { name: 'busy', when: { events: 2, days: 30 } },
  ];
  const events = [
    event('2026-11-25T00:00:00Z', 600),
    event('2026-11-10T00:00:00Z', 300),
    event('2026-10-01T00:00:00Z', 600),
    event('2020-01-01T00:00:00Z', 5000, true),
  ];

  it('answers at any later moment what riskTiersOf answers then, keeping only the widest window of events', () => {
    const reached = riskTiersOf(events, tiers, now);
    expect(reached.map((t) => t.name)).toEqual(['extreme-threat', 'high-loss', 'busy']);
    const window = tierWindowOf(events, tiers, reached, now)!;
    expect(window.events.map((e) => e.occurredAt)).toEqual(['2026-11-25T00:00:00Z', '2026-11-10T00:00:00Z', '2026-10-01T00:00:00Z']);
    for (const t of ['2026-12-01T00:00:00Z', '2026-12-10T00:00:00Z', '2026-12-10T00:00:00.001Z', '2026-12-25T00:00:00.001Z', '2026-12-30T00:00:00Z', '2026-12-30T00:00:00.001Z', '2027-06-01T00:00:00Z']) {
      expect(riskTiersAt(reached, window, new Date(t))).toEqual(riskTiersOf(events, tiers, new Date(t)));
    }
    expect(riskTiersAt(reached, window, new Date('2027-06-01T00:00:00Z')).map((t) => t.name)).toEqual(['extreme-threat']);
  });

  it('nothing to keep when no tier within days is reached: the stored tiers stand', () => {
    const old = [event('2020-01-01T00:00:00Z', 5000, true)];
    const reached = riskTiersOf(old, tiers, now);
    expect(tierWindowOf(old, tiers, reached, now)).toBeUndefined();
    expect(riskTiersAt(reached, undefined, new Date('2030-01-01T00:00:00Z'))).toEqual(reached);
  });

  it('linear: a thousand events in the window are judged in milliseconds', () => {
    const many = Array.from({ length: 1000 }, (_, i) => event(new Date(now.getTime() - i * 3_600_000).toISOString(), 100));
    const reached = riskTiersOf(many, tiers, now);
    const window = tierWindowOf(many, tiers, reached, now)!;
    const t = performance.now();
    riskTiersAt(reached, window, new Date('2026-12-20T00:00:00Z'));
    expect(performance.now() - t).toBeLessThan(50);
  });
});
