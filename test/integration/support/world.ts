import { call, createOrg, tokenFor } from './api';

/** A retailer with two stores in two jurisdictions and tokens for each role. */
export async function retailerWorld() {
  const org = await createOrg('retailer');
  const admin = await tokenFor({ org, roles: ['RetailerAdmin'], sub: 'admin-1', mfa: true });
  for (const [id, jurisdiction] of [
    ['akl-042', 'NZ-AKL'],
    ['wgn-007', 'NZ-WGN'],
  ] as const) {
    const res = await call('PUT', `/api/v1/stores/${id}`, { token: admin, body: { name: `Store ${id}`, jurisdiction } });
    if (res.status !== 201) throw new Error(`store: ${res.status} ${res.text}`);
  }
  return {
    org,
    admin,
    investigator: await tokenFor({ org, roles: ['Investigator'], sub: 'inv-1' }),
    reporter: await tokenFor({ org, roles: ['Reporter'], sub: 'rep-1' }),
    otherReporter: await tokenFor({ org, roles: ['Reporter'], sub: 'rep-2' }),
    scopedReporter: await tokenFor({ org, roles: ['Reporter'], sub: 'rep-akl', stores: ['akl-042'] }),
    integration: await tokenFor({ org, roles: ['Integration'], sub: 'pos-system' }),
    compliance: await tokenFor({ org, roles: ['Compliance'], sub: 'comp-1' }),
  };
}

export function eventBody(overrides: Record<string, unknown> = {}) {
  return {
    storeId: 'akl-042',
    occurredAt: '2026-11-20T14:05:00Z',
    type: 'shoplifting',
    prevented: false,
    description: 'Concealed razor blades in a bag and left without paying.',
    products: [{ sku: '123', name: 'Razor blades 8pk', quantity: 3, unitValue: 24.99 }],
    currency: 'NZD',
    people: [
      {
        ref: 'p1',
        role: 'offender',
        name: { given: 'Jon', family: 'Smith', aliases: ['Smithy'] },
        ageRange: { min: 25, max: 35 },
        heightCm: 180,
        build: 'slim',
        distinguishingFeatures: ['tattoo of a snake on left forearm'],
        clothing: 'grey hoodie, black cap',
      },
    ],
    vehicles: [{ plate: 'abc 123', make: 'Toyota', model: 'Corolla', colour: 'silver' }],
    violence: { threatened: true, used: false, weapon: 'none' },
    ...overrides,
  };
}

/**
 * A minute no other test writes events at (a random one in October 2026), and the list query that
 * holds just that minute: a police list of events shared with every agency sees every test's
 * events, so a test that needs its own on the page filters on their time.
 */
export function ownMinute(): { occurredAt: string; window: string } {
  const minute = new Date(Date.UTC(2026, 9, 1) + Math.floor(Math.random() * 30 * 24 * 60) * 60_000).toISOString();
  return { occurredAt: minute, window: `from=${encodeURIComponent(minute)}&to=${encodeURIComponent(minute)}` };
}
