/**
 * `npm run demo`: against a running `npm start`, builds a small realistic world through the
 * public API (two retailers with stores in two jurisdictions, two police agencies, a few
 * dozen events with repeat offenders, vehicles and violence) and prints tokens and curl
 * commands to explore it. Every run makes a fresh world (ids carry a run suffix).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadOrCreateDevIssuerKey, signDevToken } from './dev-issuer/dev-issuer';
import { findProjectRoot, loadLocalSettings } from './local/local-settings';
import { DEMO_WEBHOOK_FILE, describeAlert, startReceiver } from './webhook-receiver';
import { mkdirSync, writeFileSync } from 'node:fs';

const root = findProjectRoot();
loadLocalSettings(root);
const base = `http://127.0.0.1:${process.env.LOCAL_HOST_PORT ?? '7071'}`;
const run = randomBytes(2).toString('hex');

async function token(roles: string[], org?: string, sub = 'demo-user', extra: { mfa?: boolean } = {}): Promise<string> {
  const key = await loadOrCreateDevIssuerKey(path.resolve(root, process.env.DEV_ISSUER_KEY_FILE ?? '.daybreak/dev-issuer-key.json'));
  return signDevToken(key, {
    issuer: process.env.AUTH_ISSUER!,
    audience: process.env.AUTH_AUDIENCE!,
    orgClaim: process.env.AUTH_ORG_CLAIM ?? 'org',
    org,
    roles,
    sub,
    ttlSeconds: 8 * 3600,
    ...extra,
  });
}

async function api(method: string, url: string, bearer: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}/api${url}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const daysAgo = (d: number, hour: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 11) + `${String(hour).padStart(2, '0')}:15:00Z`;

interface Offender {
  ref: string;
  given: string;
  family: string;
  features: string[];
  clothing: string;
  plate?: string;
  profileId?: string;
}

/** "Harbour Grocers Investigator" → HARBOUR_GROCERS_INVESTIGATOR */
const envName = (who: string) => who.replace(/\(.*?\)/g, '').trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_');

async function main(): Promise<void> {
  try {
    await fetch(`${base}/api/v1/health`);
  } catch {
    console.error(`Nothing answers on ${base}: run \`npm start\` first.`);
    process.exit(1);
  }
  const platform = await token(['PlatformAdmin'], undefined, 'platform-admin', { mfa: true });
  const retailers = [
    { id: `harbour-grocers-${run}`, name: 'Harbour Grocers', stores: [['hg-akl-01', 'Queen St', 'NZ-AKL'], ['hg-wgn-01', 'Lambton Quay', 'NZ-WGN']] },
    { id: `southern-fuel-${run}`, name: 'Southern Fuel Mart', stores: [['sf-akl-02', 'Onehunga', 'NZ-AKL'], ['sf-wgn-03', 'Petone', 'NZ-WGN']] },
  ] as const;
  const agencies = [
    { id: `akl-police-${run}`, name: 'Auckland City Police', jurisdictions: ['NZ-AKL'] },
    { id: `wgn-police-${run}`, name: 'Wellington Police', jurisdictions: ['NZ-WGN'] },
  ];
  for (const r of retailers) await api('POST', '/v1/orgs', platform, { id: r.id, type: 'retailer', name: r.name });
  // An agency is created pending and approved by a platform admin before its officers may read (PRODUCT §5b).
  const approval = { agreementReference: 'DSA-2026/014', privacyAssessmentReference: 'PIA-2026/007', expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString() };
  for (const a of agencies) {
    await api('POST', '/v1/orgs', platform, { ...a, type: 'agency' });
    await api('PUT', `/v1/orgs/${a.id}/activation`, platform, approval);
  }

  const offenders: Offender[] = [
    { ref: 'o1', given: 'Jon', family: 'Smith', features: ['snake tattoo on left forearm'], clothing: 'grey hoodie, black cap', plate: 'ABC123' },
    { ref: 'o2', given: 'Mere', family: 'Tanielu', features: ['scar above right eyebrow'], clothing: 'red puffer jacket' },
    { ref: 'o3', given: 'Darren', family: 'Kowalczyk', features: ['gold front tooth'], clothing: 'hi-vis vest', plate: 'KLM 456' },
  ];
  const types = ['shoplifting', 'shoplifting', 'drive-off', 'refund-fraud', 'threatening-behaviour', 'robbery'] as const;
  let events = 0;
  const tokens: Record<string, string> = {};
  for (const r of retailers) {
    const admin = await token(['RetailerAdmin'], r.id, `admin@${r.id}`, { mfa: true });
    const reporter = await token(['Reporter'], r.id, `reporter@${r.id}`);
    tokens[`${r.name} RetailerAdmin (MFA)`] = admin;
    tokens[`${r.name} Reporter`] = reporter;
    tokens[`${r.name} Investigator`] = await token(['Investigator'], r.id, `investigator@${r.id}`);
    tokens[`${r.name} Compliance (MFA)`] = await token(['Compliance'], r.id, `compliance@${r.id}`, { mfa: true });
    for (const [id, name, jurisdiction] of r.stores) await api('PUT', `/v1/stores/${id}`, admin, { name, jurisdiction });
    const known = offenders.map((o) => ({ ...o }));
    for (let i = 0; i < 15; i += 1) {
      const type = types[i % types.length]!;
      const store = r.stores[i % r.stores.length]![0];
      const who = known[i % known.length]!;
      const violent = type === 'robbery' || type === 'threatening-behaviour';
      const event = (await api('POST', '/v1/events', reporter, {
        storeId: store,
        occurredAt: daysAgo(30 - i * 2, 9 + (i % 10)),
        type,
        prevented: i % 5 === 4,
        description: violent ? 'Threatened staff at the counter, then left on foot.' : 'Concealed items in a backpack and walked past the tills.',
        products: type === 'drive-off'
          ? [{ sku: 'FUEL-91', name: 'Petrol 91', quantity: 40, unitValue: 2.89 }]
          : [{ sku: `SKU-${100 + (i % 7)}`, name: ['Razor blades 8pk', 'Infant formula', 'Whisky 1L', 'Steak 1kg'][i % 4]!, quantity: 1 + (i % 3), unitValue: 24.99 + i }],
        currency: 'NZD',
        people: [
          who.profileId
            ? { ref: 'p1', role: 'offender', profileId: who.profileId }
            : { ref: 'p1', role: 'offender', name: { given: who.given, family: who.family }, distinguishingFeatures: who.features, clothing: who.clothing },
          ...(i % 4 === 1 ? [{ ref: 'p2', role: 'accomplice', ageRange: { min: 18, max: 25 }, clothing: 'blue tracksuit' }] : []),
        ],
        vehicles: who.plate && (type === 'drive-off' || i % 3 === 0) ? [{ plate: who.plate, make: 'Toyota', colour: 'silver' }] : [],
        ...(violent ? { violence: { threatened: true, used: type === 'robbery', weapon: type === 'robbery' ? 'knife' : 'none' } } : {}),
        policeSharing: { mode: i % 6 === 5 ? 'internal' : 'default', excludeAgencies: [] },
      })) as { people: { profileId: string }[] };
      who.profileId ??= event.people[0]!.profileId;
      events += 1;
    }
  }
  // Alerts: a local receiver, subscribed to threats at Harbour Grocers, then a threat reported (PRODUCT §6b).
  const alert = await demoAlert(retailers[0].id, retailers[0].stores[0][0]);
  // Connect the Dots: two reports of one person, each made afresh, for an investigator's link review.
  const suggestion = await demoSuggestion(retailers[0].id, retailers[0].stores[0][0]);
  events += 2;

  tokens['Auckland police officer (MFA)'] = await token(['PoliceOfficer'], agencies[0]!.id, 'officer-akl', { mfa: true });
  tokens['Platform admin (MFA)'] = platform;

  console.log(`Daybreak demo world ${run}: ${retailers.length} retailers, ${agencies.length} agencies, ${events} events on ${base}\n`);
  console.log('Paste these into your shell (tokens are valid for 8 hours):\n');
  for (const [who, t] of Object.entries(tokens)) console.log(`# ${who}\nexport ${envName(who)}=${t}\n`);
  const hg = (role: string) => `$${envName(`${retailers[0].name} ${role}`)}`;
  console.log('Then try:');
  console.log(`  curl -s -H "authorization: Bearer ${hg('Investigator')}" "${base}/api/v1/events?pageSize=5"`);
  console.log(`  curl -s -X POST -H "authorization: Bearer ${hg('Investigator')}" -H 'content-type: application/json' -d '{"plate":"ABC123"}' ${base}/api/v1/vehicles/enquiries`);
  console.log(`  curl -s -H "authorization: Bearer ${hg('Investigator')}" "${base}/api/v1/events?type=robbery"`);
  console.log(`  curl -s -H "authorization: Bearer $${envName('Auckland police officer')}" -H 'x-legal-basis: investigation' -H 'x-case-reference: AKL-2026/0412' "${base}/api/v1/events?pageSize=5"`);
  console.log(`  curl -s -H "authorization: Bearer ${hg('RetailerAdmin (MFA)')}" ${base}/api/v1/settings`);
  console.log(`  curl -s -H "authorization: Bearer ${hg('Compliance (MFA)')}" ${base}/api/v1/audit/verify`);
  console.log(`  curl -s ${base}/api/v1/openapi.json`);
  console.log(`\nOr in a browser: ${base}/ (Sign in leads to the development sign-in page)`);
  console.log(`  a reporter: organisation ${retailers[0].id}, role Reporter (report an event, with a photo)`);
  console.log(`  an investigator: organisation ${retailers[0].id}, role Investigator (Link review: ${suggestion})`);
  console.log(`  a police officer: organisation ${agencies[0]!.id}, role PoliceOfficer`);
  console.log(`  a compliance officer: organisation ${retailers[0].id}, role Compliance, with multi-factor authentication`);
  console.log(`\nAlerts: a receiver on ${alert.url} was subscribed to threats at ${retailers[0].name}; a threat was reported and it got:`);
  console.log(`  ${alert.line}`);
  console.log(`Keep watching with \`npm run -s webhooks:listen\` (secret in ${DEMO_WEBHOOK_FILE}); report a violent event and its alert arrives within seconds.`);
}

/** Subscribes a local receiver, reports a threatening event, and waits (up to 20 s) for its signed alert. */
async function demoAlert(retailerId: string, storeId: string): Promise<{ url: string; line: string }> {
  const port = Number(process.env.DEMO_WEBHOOK_PORT ?? 7090);
  const investigator = await token(['Investigator'], retailerId, `investigator@${retailerId}`);
  const url = `http://127.0.0.1:${port}/daybreak`;
  const sub = (await api('POST', '/v1/subscriptions', investigator, { name: 'Threats (demo)', filter: { violence: 'threatened' }, delivery: { mode: 'instant', url } })) as { secret: string };
  mkdirSync(path.dirname(path.resolve(root, DEMO_WEBHOOK_FILE)), { recursive: true });
  writeFileSync(path.resolve(root, DEMO_WEBHOOK_FILE), JSON.stringify({ port, secret: sub.secret }), { mode: 0o600 });
  let resolveAlert: (line: string) => void = () => {};
  const arrived = new Promise<string>((resolve) => (resolveAlert = resolve));
  const server = await startReceiver(port, sub.secret, (a) => resolveAlert(describeAlert(a)));
  try {
    await api('POST', '/v1/events', await token(['Reporter'], retailerId, `reporter@${retailerId}`), {
      storeId,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      type: 'threatening-behaviour',
      prevented: true,
      description: 'Shouted threats at the duty manager, then left.',
      people: [{ ref: 'p1', role: 'offender', ageRange: { min: 20, max: 30 }, clothing: 'black puffer jacket' }],
      vehicles: [],
      violence: { threatened: true, used: false, weapon: 'none' },
      policeSharing: { mode: 'default', excludeAgencies: [] },
    });
    let timer: NodeJS.Timeout | undefined;
    const line = await Promise.race([arrived, new Promise<string>((resolve) => (timer = setTimeout(() => resolve('(nothing within 20 s: is the matcher running?)'), 20_000)))]);
    clearTimeout(timer);
    return { url, line };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

interface Link {
  probability: number;
  subject: { profileId: string };
  candidate: { profileId: string };
}

/** Reports one person twice (a nickname the second time, the same date of birth and phone) and waits (up to 30 s) for the matcher's suggestion. */
async function demoSuggestion(retailerId: string, storeId: string): Promise<string> {
  const reporter = await token(['Reporter'], retailerId, `reporter@${retailerId}`);
  const investigator = await token(['Investigator'], retailerId, `investigator@${retailerId}`);
  const person = { ref: 'p1', role: 'offender', dateOfBirth: '1983-05-17', phone: '+64215550177', clothing: 'green work jacket' };
  const profiles = new Set<string>();
  for (const [name, day] of [[{ given: 'Tamati', family: 'Wharerau' }, 6], [{ given: 'Tam', family: 'Wharerau' }, 2]] as const) {
    const event = (await api('POST', '/v1/events', reporter, {
      storeId,
      occurredAt: daysAgo(day, 16),
      type: 'shoplifting',
      prevented: false,
      description: 'Took two bottles of whisky from the end of aisle 4 and left without paying.',
      products: [{ sku: 'SKU-WHISKY', name: 'Whisky 1L', quantity: 2, unitValue: 54.99 }],
      currency: 'NZD',
      people: [{ ...person, name }],
      vehicles: [],
      policeSharing: { mode: 'default', excludeAgencies: [] },
    })) as { people: { profileId: string }[] };
    profiles.add(event.people[0]!.profileId);
  }
  // Their own suggestion, not another pending one.
  const theirs = (l: Link) => profiles.has(l.subject.profileId) && profiles.has(l.candidate.profileId);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { items } = (await api('GET', '/v1/links?status=pending&pageSize=100', investigator)) as { items: Link[] };
    const link = items.find(theirs);
    // As the console says it: never a certainty the model does not claim.
    if (link) return `Tamati and Tam Wharerau, ${link.probability >= 0.995 ? 'over 99' : Math.round(link.probability * 100)}% likely one person`;
    await new Promise((r) => setTimeout(r, 250));
  }
  return 'no suggestion within 30 s: is the matcher running?';
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
