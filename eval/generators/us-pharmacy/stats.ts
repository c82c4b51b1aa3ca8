/**
 * Prints, per regime: people, events, person mentions, true same-person pairs, the share of
 * mentions with no name / with a DOB / with a phone, the share of events with a plate, and the
 * time to generate. Also checks every body against PRODUCT §2 (strict fields, formats), that
 * events are sorted, that the truth covers every person, and that a seed is deterministic.
 *
 *   cd /work/main && npx tsx eval/generators/us-pharmacy/stats.ts [seed]
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generate, REGIMES, type Dataset } from './generator';

const seed = Number(process.argv[2] ?? 42);

const TYPES = new Set(['shoplifting', 'cash-theft', 'refund-fraud', 'pos-fraud', 'currency-fraud', 'drive-off', 'theft-from-person', 'robbery', 'burglary', 'assault', 'threatening-behaviour', 'verbal-abuse', 'anti-social', 'trespass', 'damage', 'suspicious', 'other']);
const BODY_KEYS = new Set(['storeId', 'occurredAt', 'type', 'prevented', 'description', 'products', 'currency', 'people', 'vehicles', 'violence', 'sensitive', 'policeSharing', 'policeReference']);
const PERSON_KEYS = new Set(['ref', 'role', 'name', 'dateOfBirth', 'ageRange', 'heightCm', 'build', 'phone', 'distinguishingFeatures', 'clothing']);
// A small screen of my own for sensitive-characteristic words in free text (not the product's lexicon).
const SENSITIVE = /\b(hispanic|latin[oax]|asian|caucasian|african|arab|mexican|vietnamese|chinese|ethnic\w*|race|racial|skin|complexion|tone|muslim|christian|jewish|catholic|hindu|buddhist|sikh|church|mosque|temple|rosary|hijab|turban|yarmulke|gay|lesbian|transgender|pregnant|disabled|disability|wheelchair|crutch\w*|limp\w*|diabet\w*|hiv|autis\w*|mental\w*|schizo\w*|bipolar|depress\w*|addict\w*|drunk|intoxicated|overdose|union|democrat\w*|republican\w*|accent|immigrant|illegal)\b/i;

function subset(o: Record<string, unknown>, keys: Set<string>): string[] {
  return Object.keys(o).filter((k) => !keys.has(k));
}
function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function validate(ds: Dataset): string[] {
  const errs: string[] = [];
  const now = Date.now() + 60000;
  let prev = '';
  const truthKeys = new Set(ds.truth.map((t) => `${t.eventId}/${t.ref}`));
  let mentions = 0;
  for (const ev of ds.events) {
    const b = ev.body;
    const e = (m: string): void => void errs.push(`${ev.id}: ${m}`);
    const extra = subset(b, BODY_KEYS);
    if (extra.length) e(`unknown fields ${extra}`);
    if (typeof b.storeId !== 'string' || !/^st-\d{4}$/.test(b.storeId)) e('storeId');
    const at = String(b.occurredAt);
    if (!/^202[56]-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(at) || Date.parse(at) > now) e(`occurredAt ${at}`);
    if (at < prev) e('not sorted');
    prev = at;
    if (!TYPES.has(String(b.type))) e(`type ${b.type}`);
    if (typeof b.prevented !== 'boolean') e('prevented');
    if (b.description !== undefined && (typeof b.description !== 'string' || b.description.length > 2000)) e('description');
    if (b.products !== undefined) {
      if (!Array.isArray(b.products) || b.currency !== 'USD') e('products/currency');
      for (const p of b.products as Record<string, unknown>[]) {
        if (subset(p, new Set(['sku', 'name', 'quantity', 'unitValue'])).length || typeof p.name !== 'string' || !(Number(p.quantity) > 0) || !(Number(p.unitValue) >= 0)) e('product');
      }
    } else if (b.currency !== undefined) e('currency without products');
    const people = b.people as Record<string, unknown>[];
    if (!Array.isArray(people) || !people.length) e('people');
    const refs = new Set<string>();
    const texts: string[] = [];
    if (typeof b.description === 'string') texts.push(b.description);
    for (const p of people ?? []) {
      mentions++;
      const extraP = subset(p, PERSON_KEYS);
      if (extraP.length) e(`person fields ${extraP}`);
      if (typeof p.ref !== 'string' || refs.has(p.ref)) e('ref');
      refs.add(String(p.ref));
      if (!truthKeys.has(`${ev.id}/${p.ref}`)) e('no truth row');
      if (p.role !== 'offender' && p.role !== 'accomplice') e('role');
      if (p.name !== undefined) {
        const n = p.name as Record<string, unknown>;
        if (subset(n, new Set(['given', 'family', 'aliases'])).length) e('name fields');
        if (n.given !== undefined && (typeof n.given !== 'string' || !n.given)) e('given');
        if (n.family !== undefined && (typeof n.family !== 'string' || !n.family)) e('family');
        if (n.aliases !== undefined && (!Array.isArray(n.aliases) || n.aliases.some((a) => typeof a !== 'string'))) e('aliases');
      }
      if (p.dateOfBirth !== undefined && !validDate(String(p.dateOfBirth))) e(`dob ${p.dateOfBirth}`);
      if (p.phone !== undefined && !/^\+1[2-9]\d{2}[2-9]\d{6}$/.test(String(p.phone))) e(`phone ${p.phone}`);
      if (p.ageRange !== undefined) {
        const a = p.ageRange as { min: number; max: number };
        if (subset(p.ageRange as Record<string, unknown>, new Set(['min', 'max'])).length || !Number.isInteger(a.min) || !Number.isInteger(a.max) || a.min > a.max || a.min < 0) e('ageRange');
      }
      if (p.heightCm !== undefined && !(Number(p.heightCm) > 100 && Number(p.heightCm) < 230)) e(`height ${p.heightCm}`);
      if (p.build !== undefined && !['slim', 'medium', 'heavy'].includes(String(p.build))) e('build');
      if (p.distinguishingFeatures !== undefined) {
        const f = p.distinguishingFeatures as unknown[];
        if (!Array.isArray(f) || f.some((x) => typeof x !== 'string' || !x)) e('features');
        else texts.push(...(f as string[]));
      }
      if (p.clothing !== undefined) {
        if (typeof p.clothing !== 'string' || !p.clothing) e('clothing');
        else texts.push(p.clothing);
      }
    }
    for (const v of (b.vehicles as Record<string, unknown>[] | undefined) ?? []) {
      if (subset(v, new Set(['plate', 'make', 'model', 'colour'])).length || typeof v.plate !== 'string' || !v.plate) e('vehicle');
    }
    if (b.violence !== undefined) {
      const v = b.violence as Record<string, unknown>;
      if (typeof v.threatened !== 'boolean' || typeof v.used !== 'boolean' || !['none', 'knife', 'firearm', 'syringe', 'blunt', 'other'].includes(String(v.weapon))) e('violence');
    }
    if (b.sensitive !== undefined && typeof b.sensitive !== 'boolean') e('sensitive');
    if (b.policeSharing !== undefined && !['default', 'internal', 'jurisdiction', 'all'].includes(String((b.policeSharing as Record<string, unknown>).mode))) e('policeSharing');
    for (const t of texts) {
      const m = SENSITIVE.exec(t);
      if (m) e(`sensitive term "${m[0]}" in "${t}"`);
    }
  }
  if (mentions !== ds.truth.length) errs.push(`truth rows ${ds.truth.length} != mentions ${mentions}`);
  return errs;
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : '-';
}

function stats(ds: Dataset, ms: number): Record<string, string | number> {
  const byEvent = new Map(ds.events.map((e) => [e.id, e.body]));
  const perPerson = new Map<string, number>();
  let noName = 0, dob = 0, phone = 0, features = 0;
  const fullNameOwners = new Map<string, Set<string>>();
  const family = new Map<string, number>();
  let familyTotal = 0;
  for (const t of ds.truth) {
    perPerson.set(t.personId, (perPerson.get(t.personId) ?? 0) + 1);
    const body = byEvent.get(t.eventId)!;
    const p = (body.people as Record<string, unknown>[]).find((x) => x.ref === t.ref)!;
    const n = p.name as { given?: string; family?: string } | undefined;
    if (!n || (!n.given && !n.family)) noName++;
    if (p.dateOfBirth) dob++;
    if (p.phone) phone++;
    if (p.distinguishingFeatures) features++;
    if (n?.family) {
      const f = n.family.toLowerCase().split(/[\s-]/)[0]!;
      family.set(f, (family.get(f) ?? 0) + 1);
      familyTotal++;
    }
    if (n?.given && n.family) {
      const key = `${n.given} ${n.family}`.toLowerCase();
      if (!fullNameOwners.has(key)) fullNameOwners.set(key, new Set());
      fullNameOwners.get(key)!.add(t.personId);
    }
  }
  let pairs = 0, once = 0, max = 0;
  for (const c of perPerson.values()) {
    pairs += (c * (c - 1)) / 2;
    if (c === 1) once++;
    max = Math.max(max, c);
  }
  const withPlate = ds.events.filter((e) => Array.isArray(e.body.vehicles) && (e.body.vehicles as unknown[]).length).length;
  const top10 = [...family.values()].sort((a, b) => b - a).slice(0, 10).reduce((a, b) => a + b, 0);
  const sharedNames = [...fullNameOwners.values()].filter((s) => s.size > 1).length;
  return {
    regime: ds.name,
    people: perPerson.size,
    events: ds.events.length,
    mentions: ds.truth.length,
    'true pairs': pairs,
    'no name': pct(noName, ds.truth.length),
    'with DOB': pct(dob, ds.truth.length),
    'with phone': pct(phone, ds.truth.length),
    'events w/ plate': pct(withPlate, ds.events.length),
    'with features': pct(features, ds.truth.length),
    'seen once': pct(once, perPerson.size),
    'max/person': max,
    'top-10 surnames': pct(top10, familyTotal),
    'names >1 person': sharedNames,
    'gen ms': Math.round(ms),
  };
}

function digest(ds: Dataset): string {
  return createHash('sha256').update(JSON.stringify(ds)).digest('hex').slice(0, 16);
}

const rows: Record<string, string | number>[] = [];
let failed = false;
for (const regime of REGIMES) {
  const t0 = performance.now();
  const ds = generate(regime, seed);
  const ms = performance.now() - t0;
  const row = stats(ds, ms);
  const errs = validate(ds);
  const again = digest(generate(regime, seed));
  row['invalid'] = errs.length;
  row['deterministic'] = digest(ds) === again ? 'yes' : 'NO';
  if (errs.length || row['deterministic'] !== 'yes') {
    failed = true;
    for (const e of errs.slice(0, 10)) console.error(`  ${regime}: ${e}`);
  }
  row['sha256/16'] = again;
  rows.push(row);
}

const cols = Object.keys(rows[0]!);
const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
console.log(`us-pharmacy generator, seed ${seed}`);
console.log(cols.map((c, i) => c.padEnd(width[i]!)).join('  '));
for (const r of rows) console.log(cols.map((c, i) => String(r[c]).padEnd(width[i]!)).join('  '));
if (failed) process.exitCode = 1;
