/**
 * Summary and sanity check of the uk-nz-retail generator.
 *   npx tsx eval/generators/uk-nz-retail/stats.ts [seed]
 * Prints per regime: people, events, person mentions, true same-person pairs, share of mentions
 * with no name / a DOB / a phone, share of events with a plate, and generation time. Also checks
 * every body against PRODUCT §2 (strict field set, formats) and that a second run with the same
 * seed gives byte-identical output.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generate, REGIMES, type Dataset, type GeneratedEvent } from './generator';

interface PersonBody {
  ref: string;
  role: string;
  name?: { given?: string; family?: string; aliases?: string[] };
  dateOfBirth?: string;
  ageRange?: { min: number; max: number };
  heightCm?: number;
  build?: string;
  phone?: string;
  distinguishingFeatures?: string[];
  clothing?: string;
}
interface EventBody {
  storeId: string;
  occurredAt: string;
  type: string;
  prevented: boolean;
  description?: string;
  products?: { sku: string; name: string; quantity: number; unitValue: number }[];
  currency?: string;
  people: PersonBody[];
  vehicles?: { plate: string; make: string; model: string; colour: string }[];
}
const bodyOf = (e: GeneratedEvent): EventBody => e.body as unknown as EventBody;

const TYPES = new Set(['shoplifting', 'cash-theft', 'refund-fraud', 'pos-fraud', 'currency-fraud', 'drive-off', 'theft-from-person',
  'robbery', 'burglary', 'assault', 'threatening-behaviour', 'verbal-abuse', 'anti-social', 'trespass', 'damage', 'suspicious', 'other']);
const BODY_KEYS = new Set(['storeId', 'occurredAt', 'type', 'prevented', 'description', 'products', 'currency', 'people', 'vehicles',
  'violence', 'sensitive', 'policeSharing', 'policeReference']);
const PERSON_KEYS = new Set(['ref', 'role', 'name', 'dateOfBirth', 'ageRange', 'heightCm', 'build', 'phone', 'distinguishingFeatures', 'clothing']);
// A small screen of our own for words that must never appear in free text.
const SENSITIVE = /\b(asian|african|european|maori|māori|pacific islander|polynesian|indian|chinese|caucasian|islander|ethnic\w*|race|skin|complexion|muslim|christian|jewish|hindu|sikh|religio\w*|hijab|turban|gay|lesbian|disab\w*|wheelchair|pregnan\w*|mental|autis\w*|drunk|intoxicated|limp|deaf|blind|union)\b/i;

function validate(ds: Dataset): string[] {
  const errs: string[] = [];
  const now = Date.now() + 60_000;
  let prev = '';
  const truthByEvent = new Map<string, Set<string>>();
  for (const t of ds.truth) {
    const s = truthByEvent.get(t.eventId) ?? new Set<string>();
    s.add(t.ref);
    truthByEvent.set(t.eventId, s);
  }
  const ids = new Set<string>();
  for (const e of ds.events) {
    const b = bodyOf(e);
    const err = (m: string): void => {
      if (errs.length < 20) errs.push(`${e.id}: ${m}`);
    };
    if (ids.has(e.id)) err('duplicate event id');
    ids.add(e.id);
    for (const k of Object.keys(b)) if (!BODY_KEYS.has(k)) err(`unknown field ${k}`);
    if (!/^store-\d{3}$/.test(b.storeId)) err(`storeId ${b.storeId}`);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(b.occurredAt) || Date.parse(b.occurredAt) > now) err(`occurredAt ${b.occurredAt}`);
    if (b.occurredAt < prev) err('not sorted by occurredAt');
    prev = b.occurredAt;
    if (!TYPES.has(b.type)) err(`type ${b.type}`);
    if (typeof b.prevented !== 'boolean') err('prevented');
    if (b.description !== undefined && (typeof b.description !== 'string' || b.description.length > 2000)) err('description');
    if (b.products !== undefined) {
      if (!/^[A-Z]{3}$/.test(b.currency ?? '')) err('currency missing');
      for (const p of b.products) {
        if (Object.keys(p).some((k) => !['sku', 'name', 'quantity', 'unitValue'].includes(k))) err('product field');
        if (!(p.quantity > 0) || !(p.unitValue >= 0)) err('product values');
      }
    }
    if (!Array.isArray(b.people) || b.people.length === 0) err('people');
    const refs = new Set<string>();
    for (const p of b.people) {
      for (const k of Object.keys(p)) if (!PERSON_KEYS.has(k)) err(`unknown person field ${k}`);
      if (refs.has(p.ref)) err(`duplicate ref ${p.ref}`);
      refs.add(p.ref);
      if (p.role !== 'offender' && p.role !== 'accomplice') err(`role ${p.role}`);
      if (p.name !== undefined) {
        const keys = Object.keys(p.name);
        if (keys.length === 0 || keys.some((k) => !['given', 'family', 'aliases'].includes(k))) err('name fields');
        if (p.name.given !== undefined && (typeof p.name.given !== 'string' || p.name.given.length === 0)) err('given');
        if (p.name.family !== undefined && (typeof p.name.family !== 'string' || p.name.family.length === 0)) err('family');
        if (p.name.aliases !== undefined && (!Array.isArray(p.name.aliases) || p.name.aliases.length === 0)) err('aliases');
      }
      if (p.dateOfBirth !== undefined) {
        const d = new Date(p.dateOfBirth + 'T00:00:00Z');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(p.dateOfBirth) || isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== p.dateOfBirth) err(`dob ${p.dateOfBirth}`);
      }
      if (p.phone !== undefined && !/^\+[1-9]\d{7,14}$/.test(p.phone)) err(`phone ${p.phone}`);
      const ar = p.ageRange;
      if (ar !== undefined && !(Number.isInteger(ar.min) && Number.isInteger(ar.max) && ar.min <= ar.max && ar.min >= 0)) err('ageRange');
      if (p.heightCm !== undefined && !(p.heightCm >= 100 && p.heightCm <= 230)) err('heightCm');
      if (p.build !== undefined && !['slim', 'medium', 'heavy'].includes(p.build)) err('build');
      const feats: unknown = p.distinguishingFeatures;
      if (feats !== undefined && (!Array.isArray(feats) || feats.some((f: unknown) => typeof f !== 'string'))) err('features');
      const text = [...(p.distinguishingFeatures ?? []), p.clothing ?? ''].join(' | ');
      if (SENSITIVE.test(text)) err(`sensitive text: ${text}`);
    }
    if (b.description && SENSITIVE.test(b.description)) err(`sensitive description: ${b.description}`);
    for (const v of b.vehicles ?? []) {
      if (Object.keys(v).some((k) => !['plate', 'make', 'model', 'colour'].includes(k)) || typeof v.plate !== 'string' || !v.plate) err('vehicle');
    }
    const t = truthByEvent.get(e.id);
    if (!t || t.size !== refs.size || [...refs].some((r) => !t.has(r))) err('truth rows do not match people');
  }
  return errs;
}

function stats(ds: Dataset): Record<string, string | number> {
  const mentions = ds.truth.length;
  const byPerson = new Map<string, number>();
  for (const t of ds.truth) byPerson.set(t.personId, (byPerson.get(t.personId) ?? 0) + 1);
  let pairs = 0;
  let once = 0;
  let prolific = 0;
  for (const n of byPerson.values()) {
    pairs += (n * (n - 1)) / 2;
    if (n === 1) once++;
    if (n >= 10) prolific++;
  }
  let noName = 0;
  let dob = 0;
  let phone = 0;
  let plate = 0;
  const stores = new Set<string>();
  for (const e of ds.events) {
    const b = bodyOf(e);
    stores.add(b.storeId);
    if (b.vehicles?.length) plate++;
    for (const p of b.people) {
      if (!p.name) noName++;
      if (p.dateOfBirth) dob++;
      if (p.phone) phone++;
    }
  }
  // Namesakes: pairs of mentions with the same full name (case-folded) that are different people.
  const who = new Map(ds.truth.map((t) => [t.eventId + '|' + t.ref, t.personId]));
  const byName = new Map<string, string[]>();
  for (const e of ds.events) {
    for (const p of bodyOf(e).people) {
      if (!p.name?.given || !p.name?.family) continue;
      const key = `${p.name.given} ${p.name.family}`.toLowerCase();
      const list = byName.get(key) ?? [];
      list.push(who.get(e.id + '|' + p.ref) as string);
      byName.set(key, list);
    }
  }
  let sameNamePairs = 0;
  let namesakePairs = 0;
  for (const list of byName.values()) {
    const c = new Map<string, number>();
    for (const id of list) c.set(id, (c.get(id) ?? 0) + 1);
    const n = list.length;
    let same = 0;
    for (const k of c.values()) same += (k * (k - 1)) / 2;
    sameNamePairs += same;
    namesakePairs += (n * (n - 1)) / 2 - same;
  }
  const pct = (x: number, n: number): string => ((100 * x) / n).toFixed(1) + '%';
  return {
    people: byPerson.size,
    events: ds.events.length,
    stores: stores.size,
    mentions,
    truePairs: pairs,
    once: pct(once, byPerson.size),
    '10+': prolific,
    noName: pct(noName, mentions),
    withDob: pct(dob, mentions),
    withPhone: pct(phone, mentions),
    withPlate: pct(plate, ds.events.length) + ' ev',
    'sameName: true/false': `${sameNamePairs}/${namesakePairs}`,
  };
}

const digest = (ds: Dataset): string => createHash('sha256').update(JSON.stringify(ds)).digest('hex').slice(0, 16);

const seed = Number(process.argv[2] ?? 1);
let failed = false;
const rows: Record<string, string | number>[] = [];
for (const regime of REGIMES) {
  const t0 = performance.now();
  const ds = generate(regime, seed);
  const ms = performance.now() - t0;
  const again = digest(generate(regime, seed));
  const h = digest(ds);
  const errs = validate(ds);
  if (errs.length > 0) {
    failed = true;
    console.error(`${regime}: ${errs.length} problem(s)\n  ${errs.join('\n  ')}`);
  }
  if (again !== h) {
    failed = true;
    console.error(`${regime}: not deterministic (${h} vs ${again})`);
  }
  rows.push({ regime, ...stats(ds), time: (ms / 1000).toFixed(2) + ' s', sha: h, valid: errs.length === 0 && again === h ? 'ok' : 'FAIL' });
}
console.log(`seed ${seed}`);
console.table(rows);
if (failed) process.exit(1);
