/*
 * Statistics and self-checks for the AU hardware generator.
 *
 *   npx tsx eval/generators/au-hardware/stats.ts [seed]
 *
 * Prints, per regime, the shape of the data and how much evidence the true pairs carry; checks every
 * body against PRODUCT §2 (fields, required fields, enums, types, lengths) and checks determinism.
 * Exits 1 if any check fails.
 */
import { generate, REGIMES, type Dataset, type GeneratedEvent } from './generator';

// ---------------------------------------------------------------------------------------------
// §2 validation

const TOP_KEYS = new Set([
  'storeId', 'occurredAt', 'type', 'prevented', 'description', 'products', 'currency', 'people', 'vehicles', 'violence',
  'sensitive', 'policeSharing', 'policeReference',
]);
const REQUIRED = ['storeId', 'occurredAt', 'type'];
const PERSON_KEYS = new Set([
  'ref', 'role', 'profileId', 'name', 'dateOfBirth', 'ageRange', 'heightCm', 'build', 'phone', 'distinguishingFeatures', 'clothing',
]);
const NAME_KEYS = new Set(['given', 'family', 'aliases']);
const PRODUCT_KEYS = new Set(['sku', 'name', 'quantity', 'unitValue']);
const VEHICLE_KEYS = new Set(['plate', 'make', 'model', 'colour']);
const VIOLENCE_KEYS = new Set(['threatened', 'used', 'weapon']);
const SHARING_KEYS = new Set(['mode', 'excludeAgencies']);
const TYPES = new Set([
  'shoplifting', 'cash-theft', 'refund-fraud', 'pos-fraud', 'currency-fraud', 'drive-off', 'theft-from-person', 'robbery',
  'burglary', 'assault', 'threatening-behaviour', 'verbal-abuse', 'anti-social', 'trespass', 'damage', 'suspicious', 'other',
]);
const ROLES = new Set(['offender', 'accomplice']);
const BUILDS = new Set(['slim', 'medium', 'heavy']);
const WEAPONS = new Set(['none', 'knife', 'firearm', 'syringe', 'blunt', 'other']);
const SHARING_MODES = new Set(['default', 'internal', 'jurisdiction', 'all']);
/** Sensitive field names §2 says no body may carry, at any depth. */
const SENSITIVE_FIELDS = /^(ethnicity|race|skinTone|religion|political|politicalAffiliation|sexualOrientation|health|unionMembership)$/i;
/**
 * A small lexicon of sensitive-characteristic terms, to catch this generator slipping (the product's
 * own lexicon is data in the repository, which this helper has not read). Whole words only.
 */
const SENSITIVE_TERMS = (
  'aboriginal indigenous islander asian african european caucasian ethnic ethnicity race racial skin complexion tanned ' +
  'maori tongan samoan lebanese vietnamese chinese indian italian greek muslim islam islamic christian catholic jewish ' +
  'hindu buddhist sikh church mosque temple synagogue hijab turban headscarf religious cross crucifix gay lesbian ' +
  'bisexual transgender queer homosexual disabled disability wheelchair autistic autism pregnant mental schizophrenic ' +
  'depressed depression diabetic epileptic hiv addict addicted junkie drunk intoxicated methadone labor liberal greens ' +
  'union unionist political politics vote'
).split(' ');
const SENSITIVE_RE = new RegExp(`\\b(${SENSITIVE_TERMS.join('|')})\\b`, 'i');

/**
 * Length limits. §2 states only description ≤ 2000 (and Idempotency-Key ≤ 128, a header). The rest are
 * this helper's conservative assumptions, so that the data fits any reasonable server limit.
 */
const MAX = { description: 2000, short: 64, name: 100, text: 200, clothing: 500, list: 20 };

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function validateBody(body: Record<string, unknown>, now: number): string[] {
  const errs: string[] = [];
  const str = (path: string, v: unknown, max: number, required = false): void => {
    if (v === undefined) {
      if (required) errs.push(`${path}: required`);
      return;
    }
    if (typeof v !== 'string') errs.push(`${path}: not a string`);
    else if (v.length === 0) errs.push(`${path}: empty`);
    else if (v.length > max) errs.push(`${path}: longer than ${max}`);
  };
  const bool = (path: string, v: unknown): void => {
    if (v !== undefined && typeof v !== 'boolean') errs.push(`${path}: not a boolean`);
  };
  const keys = (path: string, o: Record<string, unknown>, allowed: Set<string>): void => {
    for (const k of Object.keys(o)) {
      if (SENSITIVE_FIELDS.test(k)) errs.push(`${path}.${k}: sensitive field`);
      else if (!allowed.has(k)) errs.push(`${path}.${k}: unknown field`);
    }
  };
  const screen = (path: string, v: unknown): void => {
    if (typeof v !== 'string') return;
    const m = SENSITIVE_RE.exec(v);
    if (m) errs.push(`${path}: sensitive term "${m[1]}"`);
  };

  keys('', body, TOP_KEYS);
  for (const k of REQUIRED) if (body[k] === undefined) errs.push(`${k}: required`);
  str('storeId', body.storeId, MAX.short, true);
  if (typeof body.occurredAt === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(body.occurredAt)) errs.push('occurredAt: not ISO-8601 UTC');
    const t = Date.parse(body.occurredAt);
    if (Number.isNaN(t)) errs.push('occurredAt: unparseable');
    else if (t > now + 60_000) errs.push('occurredAt: in the future');
  } else errs.push('occurredAt: not a string');
  if (typeof body.type !== 'string' || !TYPES.has(body.type)) errs.push(`type: not in the taxonomy (${String(body.type)})`);
  bool('prevented', body.prevented);
  bool('sensitive', body.sensitive);
  str('description', body.description, MAX.description);
  screen('description', body.description);
  str('policeReference', body.policeReference, MAX.short);

  if (body.products !== undefined) {
    if (!Array.isArray(body.products)) errs.push('products: not an array');
    else {
      if (body.products.length > 0 && body.currency === undefined) errs.push('currency: required when products are given');
      body.products.forEach((p: unknown, i: number) => {
        const path = `products[${i}]`;
        if (!isObj(p)) return void errs.push(`${path}: not an object`);
        keys(path, p, PRODUCT_KEYS);
        str(`${path}.sku`, p.sku, MAX.short);
        str(`${path}.name`, p.name, MAX.text);
        if (p.quantity !== undefined && !(Number.isInteger(p.quantity) && (p.quantity as number) > 0)) errs.push(`${path}.quantity: not a positive integer`);
        if (p.unitValue !== undefined && !(typeof p.unitValue === 'number' && Number.isFinite(p.unitValue) && p.unitValue >= 0)) errs.push(`${path}.unitValue: not a non-negative number`);
      });
    }
  }
  if (body.currency !== undefined && (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency))) errs.push('currency: not ISO 4217');

  if (body.people !== undefined) {
    if (!Array.isArray(body.people)) errs.push('people: not an array');
    else {
      const refs = new Set<string>();
      body.people.forEach((p: unknown, i: number) => {
        const path = `people[${i}]`;
        if (!isObj(p)) return void errs.push(`${path}: not an object`);
        keys(path, p, PERSON_KEYS);
        str(`${path}.ref`, p.ref, MAX.short, true);
        if (typeof p.ref === 'string') {
          if (refs.has(p.ref)) errs.push(`${path}.ref: not unique`);
          refs.add(p.ref);
        }
        if (p.role !== undefined && (typeof p.role !== 'string' || !ROLES.has(p.role))) errs.push(`${path}.role: not offender|accomplice`);
        str(`${path}.profileId`, p.profileId, MAX.short);
        if (p.name !== undefined) {
          if (!isObj(p.name)) errs.push(`${path}.name: not an object`);
          else {
            keys(`${path}.name`, p.name, NAME_KEYS);
            str(`${path}.name.given`, p.name.given, MAX.name);
            str(`${path}.name.family`, p.name.family, MAX.name);
            if (p.name.aliases !== undefined) {
              if (!Array.isArray(p.name.aliases) || p.name.aliases.length > MAX.list) errs.push(`${path}.name.aliases: not a short array`);
              else p.name.aliases.forEach((a: unknown, j: number) => str(`${path}.name.aliases[${j}]`, a, MAX.name));
            }
          }
        }
        if (p.dateOfBirth !== undefined) {
          if (typeof p.dateOfBirth !== 'string' || !validDate(p.dateOfBirth)) errs.push(`${path}.dateOfBirth: not a date`);
          else if (typeof body.occurredAt === 'string' && p.dateOfBirth > body.occurredAt.slice(0, 10)) errs.push(`${path}.dateOfBirth: after the event`);
        }
        if (p.ageRange !== undefined) {
          const a = p.ageRange;
          if (!isObj(a) || Object.keys(a).some((k) => k !== 'min' && k !== 'max')) errs.push(`${path}.ageRange: not {min,max}`);
          else if (!Number.isInteger(a.min) || !Number.isInteger(a.max) || (a.min as number) < 0 || (a.max as number) > 120 || (a.min as number) > (a.max as number)) {
            errs.push(`${path}.ageRange: bad bounds`);
          }
        }
        if (p.heightCm !== undefined && !(Number.isInteger(p.heightCm) && (p.heightCm as number) >= 50 && (p.heightCm as number) <= 250)) errs.push(`${path}.heightCm: out of range`);
        if (p.build !== undefined && (typeof p.build !== 'string' || !BUILDS.has(p.build))) errs.push(`${path}.build: not slim|medium|heavy`);
        if (p.phone !== undefined && (typeof p.phone !== 'string' || !/^\+[1-9]\d{1,14}$/.test(p.phone))) errs.push(`${path}.phone: not E.164`);
        if (p.distinguishingFeatures !== undefined) {
          if (!Array.isArray(p.distinguishingFeatures) || p.distinguishingFeatures.length > MAX.list) errs.push(`${path}.distinguishingFeatures: not a short array`);
          else p.distinguishingFeatures.forEach((f: unknown, j: number) => {
            str(`${path}.distinguishingFeatures[${j}]`, f, MAX.text);
            screen(`${path}.distinguishingFeatures[${j}]`, f);
          });
        }
        str(`${path}.clothing`, p.clothing, MAX.clothing);
        screen(`${path}.clothing`, p.clothing);
      });
    }
  }
  if (body.vehicles !== undefined) {
    if (!Array.isArray(body.vehicles)) errs.push('vehicles: not an array');
    else body.vehicles.forEach((v: unknown, i: number) => {
      const path = `vehicles[${i}]`;
      if (!isObj(v)) return void errs.push(`${path}: not an object`);
      keys(path, v, VEHICLE_KEYS);
      str(`${path}.plate`, v.plate, 16);
      str(`${path}.make`, v.make, MAX.short);
      str(`${path}.model`, v.model, MAX.short);
      str(`${path}.colour`, v.colour, MAX.short);
    });
  }
  if (body.violence !== undefined) {
    const v = body.violence;
    if (!isObj(v)) errs.push('violence: not an object');
    else {
      keys('violence', v, VIOLENCE_KEYS);
      bool('violence.threatened', v.threatened);
      bool('violence.used', v.used);
      if (v.weapon !== undefined && (typeof v.weapon !== 'string' || !WEAPONS.has(v.weapon))) errs.push('violence.weapon: not in the enum');
    }
  }
  if (body.policeSharing !== undefined) {
    const s = body.policeSharing;
    if (!isObj(s)) errs.push('policeSharing: not an object');
    else {
      keys('policeSharing', s, SHARING_KEYS);
      if (s.mode !== undefined && (typeof s.mode !== 'string' || !SHARING_MODES.has(s.mode))) errs.push('policeSharing.mode: not in the enum');
      if (s.excludeAgencies !== undefined && (!Array.isArray(s.excludeAgencies) || s.excludeAgencies.some((a: unknown) => typeof a !== 'string'))) {
        errs.push('policeSharing.excludeAgencies: not an array of strings');
      }
    }
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Statistics

/** Words that say what kind of feature, or where on a side, but not which: not evidence on their own. */
const FEATURE_STOP = new Set((
  'a an the of on in at with and or to his her has have through across under above behind near both one ' +
  'left right side back front inner lower upper full fully large small big long thin old visible ' +
  'tattoo tattoos tatt tatts tat tattooed sleeve scar scars scarred scarring piercing pierced mark'
).split(' '));

interface Sig { person: string; event: string; nameless: boolean; tokens: Set<string>; family: string | null; dob: string | null; phone: string | null; plate: string | null; feats: Set<string> }

function nameTokens(name: unknown): Set<string> {
  const out = new Set<string>();
  if (!isObj(name)) return out;
  const parts: unknown[] = [name.given, name.family, ...(Array.isArray(name.aliases) ? name.aliases : [])];
  for (const p of parts) {
    if (typeof p !== 'string') continue;
    for (const t of p.toLowerCase().split(/[\s-]+/)) if (t) out.add(t);
  }
  return out;
}

function featureWords(list: unknown): Set<string> {
  const out = new Set<string>();
  if (!Array.isArray(list)) return out;
  for (const f of list) {
    if (typeof f !== 'string') continue;
    for (const w of f.toLowerCase().split(/[^a-z0-9]+/)) if (w.length >= 3 && !FEATURE_STOP.has(w)) out.add(w);
  }
  return out;
}

function normPlate(p: unknown): string | null {
  if (typeof p !== 'string') return null;
  const n = p.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return n || null;
}

function signatures(ds: Dataset): Sig[] {
  const byEvent = new Map<string, GeneratedEvent>();
  for (const e of ds.events) byEvent.set(e.id, e);
  const sigs: Sig[] = [];
  for (const row of ds.truth) {
    const e = byEvent.get(row.eventId);
    if (!e) throw new Error(`truth row for unknown event ${row.eventId}`);
    const people = (e.body.people as Record<string, unknown>[] | undefined) ?? [];
    const p = people.find((x) => x.ref === row.ref);
    if (!p) throw new Error(`truth row ${row.eventId}/${row.ref} has no person in the body`);
    const vehicles = (e.body.vehicles as Record<string, unknown>[] | undefined) ?? [];
    const tokens = nameTokens(p.name);
    sigs.push({
      person: row.personId,
      event: row.eventId,
      nameless: tokens.size === 0,
      tokens,
      family: isObj(p.name) && typeof p.name.family === 'string' ? p.name.family.toLowerCase() : null,
      dob: typeof p.dateOfBirth === 'string' ? p.dateOfBirth : null,
      phone: typeof p.phone === 'string' ? p.phone.replace(/\D/g, '') : null,
      plate: vehicles.length ? normPlate(vehicles[0]?.plate) : null,
      feats: featureWords(p.distinguishingFeatures),
    });
  }
  return sigs;
}

function intersects(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

interface Stats {
  people: number;
  events: number;
  mentions: number;
  multiPersonEvents: number;
  seenOnce: number;
  maxMentions: number;
  nameless: number;
  dob: number;
  phone: number;
  plate: number;
  features: number;
  sensitive: number;
  truePairs: number;
  shareAny: number;
  shareName: number;
  shareDob: number;
  sharePhone: number;
  sharePlate: number;
  shareFeat: number;
  falseSurname: number;
  falsePhone: number;
  falsePlate: number;
  falseDob: number;
  personsPerSurname: number;
}

/**
 * Pairs of mentions of different people, in different events, that carry the same value (two people
 * in one event share its vehicle trivially, and a matcher never links them).
 */
function crossPairs(sigs: Sig[], key: (s: Sig) => string | null): number {
  const groups = new Map<string, Sig[]>();
  for (const s of sigs) {
    const k = key(s);
    if (k === null) continue;
    const g = groups.get(k) ?? [];
    g.push(s);
    groups.set(k, g);
  }
  const choose2 = (c: number): number => (c * (c - 1)) / 2;
  let n = 0;
  for (const g of groups.values()) {
    const byPerson = new Map<string, number>();
    const byEvent = new Map<string, number>();
    for (const s of g) {
      byPerson.set(s.person, (byPerson.get(s.person) ?? 0) + 1);
      byEvent.set(s.event, (byEvent.get(s.event) ?? 0) + 1);
    }
    // A person appears once per event, so the two subtractions never overlap.
    n += choose2(g.length);
    for (const c of byPerson.values()) n -= choose2(c);
    for (const c of byEvent.values()) n -= choose2(c);
  }
  return n;
}

function compute(ds: Dataset): Stats {
  const sigs = signatures(ds);
  const byPerson = new Map<string, Sig[]>();
  for (const s of sigs) {
    const l = byPerson.get(s.person) ?? [];
    l.push(s);
    byPerson.set(s.person, l);
  }
  let pairs = 0;
  let any = 0;
  let name = 0;
  let dob = 0;
  let phone = 0;
  let plate = 0;
  let feat = 0;
  for (const list of byPerson.values()) {
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      const a = list[i] as Sig;
      const b = list[j] as Sig;
      pairs++;
      const sn = intersects(a.tokens, b.tokens);
      const sd = a.dob !== null && a.dob === b.dob;
      const sp = a.phone !== null && a.phone === b.phone;
      const sl = a.plate !== null && a.plate === b.plate;
      const sf = intersects(a.feats, b.feats);
      if (sn) name++;
      if (sd) dob++;
      if (sp) phone++;
      if (sl) plate++;
      if (sf) feat++;
      if (sn || sd || sp || sl || sf) any++;
    }
  }
  // Namesakes: for each surname token in the data, how many different people use it (mention-weighted).
  const surname = new Map<string, Set<string>>();
  let surnameMentions = 0;
  let surnameWeighted = 0;
  for (const e of ds.events) {
    for (const p of (e.body.people as Record<string, unknown>[] | undefined) ?? []) {
      const n = p.name;
      if (isObj(n) && typeof n.family === 'string') {
        const row = ds.truth.find((t) => t.eventId === e.id && t.ref === p.ref);
        const k = n.family.toLowerCase();
        const set = surname.get(k) ?? new Set<string>();
        if (row) set.add(row.personId);
        surname.set(k, set);
      }
    }
  }
  for (const s of sigs) {
    for (const [k, set] of surname) if (s.tokens.has(k)) {
      surnameMentions++;
      surnameWeighted += set.size;
      break;
    }
  }
  const counts = [...byPerson.values()].map((l) => l.length);
  const m = sigs.length;
  return {
    people: byPerson.size,
    events: ds.events.length,
    mentions: m,
    multiPersonEvents: ds.events.filter((e) => ((e.body.people as unknown[] | undefined)?.length ?? 0) > 1).length / ds.events.length,
    seenOnce: counts.filter((c) => c === 1).length / counts.length,
    maxMentions: Math.max(...counts),
    nameless: sigs.filter((s) => s.nameless).length / m,
    dob: sigs.filter((s) => s.dob).length / m,
    phone: sigs.filter((s) => s.phone).length / m,
    plate: sigs.filter((s) => s.plate).length / m,
    features: sigs.filter((s) => s.feats.size > 0).length / m,
    sensitive: ds.events.filter((e) => e.body.sensitive === true).length / ds.events.length,
    truePairs: pairs,
    shareAny: any / pairs,
    shareName: name / pairs,
    shareDob: dob / pairs,
    sharePhone: phone / pairs,
    sharePlate: plate / pairs,
    shareFeat: feat / pairs,
    falseSurname: crossPairs(sigs, (s) => s.family),
    falsePhone: crossPairs(sigs, (s) => s.phone),
    falsePlate: crossPairs(sigs, (s) => s.plate),
    falseDob: crossPairs(sigs, (s) => s.dob),
    personsPerSurname: surnameMentions ? surnameWeighted / surnameMentions : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

function checks(regime: string, seed: number, ds: Dataset): string[] {
  const errs: string[] = [];
  const now = Date.now();
  ds.events.forEach((e) => {
    for (const m of validateBody(e.body, now)) errs.push(`${e.id}: ${m}`);
  });
  const ids = new Set(ds.events.map((e) => e.id));
  if (ids.size !== ds.events.length) errs.push('event ids not unique');
  for (let i = 1; i < ds.events.length; i++) {
    const a = (ds.events[i - 1] as GeneratedEvent).body.occurredAt as string;
    const b = (ds.events[i] as GeneratedEvent).body.occurredAt as string;
    if (Date.parse(a) > Date.parse(b)) {
      errs.push(`events not sorted by occurredAt at ${i}`);
      break;
    }
  }
  // One truth row per person in each body, and no more.
  const rows = new Set(ds.truth.map((t) => `${t.eventId}|${t.ref}`));
  if (rows.size !== ds.truth.length) errs.push('duplicate truth rows');
  let mentioned = 0;
  for (const e of ds.events) {
    for (const p of (e.body.people as Record<string, unknown>[] | undefined) ?? []) {
      mentioned++;
      if (!rows.has(`${e.id}|${String(p.ref)}`)) errs.push(`${e.id}/${String(p.ref)}: no truth row`);
    }
  }
  if (mentioned !== ds.truth.length) errs.push(`truth rows ${ds.truth.length} ≠ people in bodies ${mentioned}`);
  // Determinism: the same (regime, seed) gives the same output; another seed does not.
  const again = generate(regime, seed);
  if (JSON.stringify(again) !== JSON.stringify(ds)) errs.push('not deterministic: same (regime, seed) gave different output');
  const other = generate(regime, seed + 1);
  if (JSON.stringify(other.events) === JSON.stringify(ds.events)) errs.push('seed has no effect');
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Main

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const int = (x: number): string => x.toLocaleString('en-AU');

function main(): void {
  const seed = Number(process.argv[2] ?? '1');
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${process.argv[2]}`);
  const rows: [string, (s: Stats) => string][] = [
    ['people', (s) => int(s.people)],
    ['events', (s) => int(s.events)],
    ['person mentions', (s) => int(s.mentions)],
    ['events with 2–3 people', (s) => pct(s.multiPersonEvents)],
    ['people seen once', (s) => pct(s.seenOnce)],
    ['most mentions of one person', (s) => int(s.maxMentions)],
    ['mentions with no name', (s) => pct(s.nameless)],
    ['mentions with DOB', (s) => pct(s.dob)],
    ['mentions with phone', (s) => pct(s.phone)],
    ['mentions with plate', (s) => pct(s.plate)],
    ['mentions with features', (s) => pct(s.features)],
    ['events sensitive', (s) => pct(s.sensitive)],
    ['people per surname (mention-weighted)', (s) => s.personsPerSurname.toFixed(1)],
    ['true pairs', (s) => int(s.truePairs)],
    ['true pairs sharing any signal', (s) => pct(s.shareAny)],
    ['… a name token', (s) => pct(s.shareName)],
    ['… a DOB', (s) => pct(s.shareDob)],
    ['… a phone', (s) => pct(s.sharePhone)],
    ['… a plate', (s) => pct(s.sharePlate)],
    ['… a feature word', (s) => pct(s.shareFeat)],
    ['false pairs* sharing a family name', (s) => int(s.falseSurname)],
    ['false pairs* sharing a phone', (s) => int(s.falsePhone)],
    ['false pairs* sharing a plate', (s) => int(s.falsePlate)],
    ['false pairs* sharing a DOB', (s) => int(s.falseDob)],
  ];
  const stats: Stats[] = [];
  const problems: string[] = [];
  for (const regime of REGIMES) {
    const ds = generate(regime, seed);
    stats.push(compute(ds));
    const errs = checks(regime, seed, ds);
    for (const e of errs.slice(0, 20)) problems.push(`${regime}: ${e}`);
    if (errs.length > 20) problems.push(`${regime}: … and ${errs.length - 20} more`);
  }
  console.log(`AU hardware generator, seed ${seed}\n`);
  console.log(`| | ${REGIMES.join(' | ')} |`);
  console.log(`|---|${REGIMES.map(() => '---:').join('|')}|`);
  for (const [label, f] of rows) console.log(`| ${label} | ${stats.map(f).join(' | ')} |`);
  console.log('\n* mentions of different people in different events.\n');
  if (problems.length) {
    console.log(`§2 / determinism checks FAILED:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('§2 checks: every body valid (fields, required fields, enums, types, lengths, free-text screen); truth rows match; deterministic.');
  }
}

main();
