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
  ])('rejects %j', (body) => {
    expect(SettingsUpdateSchema.safeParse(body).success).toBe(false);
  });
  it.each([[{ retentionDays: 30 }], [{ retentionDays: 3650 }], [{ policeSharing: 'none' }], [{}]])('accepts %j', (body) => {
    expect(SettingsUpdateSchema.safeParse(body).success).toBe(true);
  });
});
