import { alertFactsOf, matchesFilter, nextAttemptAt, RETRY_FOR_MS, SubscriptionInputSchema, webhookIdFor, type AlertFacts } from '../../../shared/domain/subscriptions';

const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  eventId: 'e-1',
  retailerId: 'ret-a',
  storeId: 'akl-042',
  jurisdiction: 'NZ-AKL',
  type: 'robbery',
  occurredAt: '2026-12-03T10:00:00Z',
  lossValue: 250,
  violence: { threatened: true, used: false, weapon: 'none' },
  riskTiers: ['serious-threat'],
  profileIds: ['p-1'],
  version: '2026-12-03T10:01:00Z',
  ...over,
});

describe('subscription filters', () => {
  it('every condition given must hold; none given matches everything', () => {
    expect(matchesFilter({}, facts())).toBe(true);
    expect(matchesFilter({ jurisdictions: ['NZ-WGN'] }, facts())).toBe(false);
    expect(matchesFilter({ jurisdictions: ['NZ-WGN', 'NZ-AKL'], types: ['robbery'], storeIds: ['akl-042'] }, facts())).toBe(true);
    expect(matchesFilter({ riskTiers: ['extreme-threat'] }, facts())).toBe(false);
    expect(matchesFilter({ riskTiers: ['extreme-threat', 'serious-threat'] }, facts())).toBe(true);
    expect(matchesFilter({ minLossValue: 250 }, facts())).toBe(true);
    expect(matchesFilter({ minLossValue: 250.01 }, facts())).toBe(false);
  });

  it('violence is a floor: threatened includes used; weapon means a weapon other than none', () => {
    const used = facts({ violence: { threatened: false, used: true, weapon: 'none' } });
    const none = facts({ violence: null });
    const knife = facts({ violence: { threatened: true, used: false, weapon: 'knife' } });
    expect([facts(), used, none, knife].map((f) => matchesFilter({ violence: 'threatened' }, f))).toEqual([true, true, false, true]);
    expect([facts(), used, none, knife].map((f) => matchesFilter({ violence: 'used' }, f))).toEqual([false, true, false, false]);
    expect([facts(), used, none, knife].map((f) => matchesFilter({ violence: 'weapon' }, f))).toEqual([false, false, false, true]);
  });

  it('refuses unknown fields and values', () => {
    const ok = { name: 'x', delivery: { mode: 'instant', url: 'https://hooks.example/x' } };
    expect(SubscriptionInputSchema.safeParse(ok).success).toBe(true);
    for (const bad of [{ ...ok, extra: 1 }, { ...ok, filter: { violence: 'shouted' } }, { ...ok, filter: { jurisdictions: [] } }, { ...ok, delivery: { mode: 'weekly', url: 'https://x' } }, { ...ok, name: '' }]) {
      expect(SubscriptionInputSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('what a webhook carries', () => {
  it('ids, places, figures and flags of the event: never a name, description or other free text', () => {
    const event = {
      id: 'e-9',
      retailerId: 'ret-a',
      storeId: 's-1',
      occurredAt: '2026-12-03T10:00:00Z',
      type: 'shoplifting',
      prevented: false,
      description: 'Tall man named Jon Smith took razors',
      products: [{ name: 'Razors', quantity: 2, unitValue: 10.5 }],
      people: [{ ref: 'p1', role: 'offender', profileId: 'pr-1', name: { given: 'Jon', family: 'Smith' }, clothing: 'red hoodie' }],
      vehicles: [{ plate: 'ABC123' }],
      sensitive: false,
      updatedAt: '2026-12-03T10:05:00Z',
    } as never;
    const out = alertFactsOf(event, 'NZ-AKL', ['high-loss']);
    expect(out).toEqual({ eventId: 'e-9', retailerId: 'ret-a', storeId: 's-1', jurisdiction: 'NZ-AKL', type: 'shoplifting', occurredAt: '2026-12-03T10:00:00Z', lossValue: 21, violence: null, riskTiers: ['high-loss'], profileIds: ['pr-1'], version: '2026-12-03T10:05:00Z' });
    expect(JSON.stringify(out)).not.toMatch(/Jon|Smith|Razors|hoodie|ABC123|Tall/);
  });

  it('the webhook id is the same for a subscription and event version, and differs otherwise', () => {
    expect(webhookIdFor('s-1', 'event:e-1@v1')).toBe(webhookIdFor('s-1', 'event:e-1@v1'));
    expect(webhookIdFor('s-1', 'event:e-1@v1')).not.toBe(webhookIdFor('s-1', 'event:e-1@v2'));
    expect(webhookIdFor('s-1', 'event:e-1@v1')).not.toBe(webhookIdFor('s-2', 'event:e-1@v1'));
    expect(webhookIdFor('s-1', 'x')).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  });
});

describe('retries', () => {
  it('back off with jitter, the first within a minute, and stop after 24 hours', () => {
    const first = new Date('2026-12-03T00:00:00Z');
    expect(nextAttemptAt(1, first, first, () => 0)!.getTime() - first.getTime()).toBe(4_000);
    expect(nextAttemptAt(1, first, first, () => 1)!.getTime() - first.getTime()).toBe(6_000);
    expect(nextAttemptAt(2, first, first, () => 0.5)!.getTime() - first.getTime()).toBe(30_000);
    const late = new Date(first.getTime() + RETRY_FOR_MS - 1_000);
    expect(nextAttemptAt(9, first, late, () => 0.5)).toBeNull();
    let now = first;
    let attempts = 0;
    for (let next = nextAttemptAt(++attempts, first, now, () => 0.5); next; next = nextAttemptAt(++attempts, first, now, () => 0.5)) now = next;
    expect(attempts).toBeGreaterThan(20);
    expect(now.getTime() - first.getTime()).toBeLessThanOrEqual(RETRY_FOR_MS);
  });
});
