import type { Person, RetailEvent } from '../events/event-schema';
import { normalisePlate } from '../events/plates';
import { normaliseFamily, normaliseGiven, normaliseName, splitAlias } from './names';

/**
 * What matching knows about one person mention, or a profile's aggregate of mentions. Plain JSON,
 * so a profile document can carry it. Treat a value as immutable once built: scoring caches
 * prepared forms per object.
 */
export interface PersonFacts {
  /** given/family as reported, plus each alias as a name. */
  names: { given?: string; family?: string }[];
  /** YYYY-MM-DD */
  dobs: string[];
  /** E.164 */
  phones: string[];
  /** normalised (upper, no spaces/dashes): vehicles of the events the person appears in */
  plates: string[];
  /**
   * The most people seen at once with each of `plates`, where more than one: a car that came with a
   * crew tells which crew, not which of them. Optional for older documents.
   */
  plateCompany?: Record<string, number>;
  /** distinguishing features, free text */
  features: string[];
  stores: string[];
  types: string[];
  /** product SKUs (or "n:<name>" for a product without one) */
  skus: string[];
  /** occurredAt (ISO), most recent first after a merge */
  times: string[];
  /** 16-hex dHash values (only used when the retailer opted in) */
  imageHashes: string[];
  /** Events the person appears in: two people of one event are never the same person. Optional for older documents. */
  eventIds?: string[];
  /** Years of birth as a range [earliest, latest], from a DOB or from an estimated age at the event. Optional for older documents. */
  born?: [number, number][];
  /** Estimated heights in cm, and builds, as reported. Optional for older documents. */
  heights?: number[];
  builds?: string[];
}

/** The fields of an event matching reads: a stored RetailEvent, or an EventInput-like body. */
export interface EventLike {
  id?: string;
  storeId: string;
  occurredAt: string;
  type: string;
  products?: { sku?: string; name: string }[];
  vehicles?: { plate: string; normalisedPlate?: string }[];
  /** The event's people (only how many is read here). */
  people?: readonly unknown[];
}
export type PersonLike = Pick<Person, 'name' | 'dateOfBirth' | 'phone' | 'distinguishingFeatures'> &
  Partial<Pick<Person, 'ageRange' | 'heightCm' | 'build'>>;

/** Each list is capped so a profile document stays small. */
export const FACTS_LIST_CAP = 20;

export const EMPTY_FACTS: PersonFacts = Object.freeze({
  names: Object.freeze([]),
  dobs: Object.freeze([]),
  phones: Object.freeze([]),
  plates: Object.freeze([]),
  features: Object.freeze([]),
  stores: Object.freeze([]),
  types: Object.freeze([]),
  skus: Object.freeze([]),
  times: Object.freeze([]),
  imageHashes: Object.freeze([]),
  eventIds: Object.freeze([]),
  born: Object.freeze([]),
  heights: Object.freeze([]),
  builds: Object.freeze([]),
}) as unknown as PersonFacts;

const IMAGE_HASH = /^[0-9a-f]{16}$/;

export function factsOfPerson(event: RetailEvent | EventLike, person: Person | PersonLike, imageHashes: string[] = []): PersonFacts {
  const names: PersonFacts['names'] = [];
  const n = person.name;
  if (n) {
    const reported = trimName({ given: n.given, family: n.family });
    if (reported.given || reported.family) names.push(reported);
    for (const alias of n.aliases ?? []) {
      const a = splitAlias(alias, reported.family);
      if (a.given || a.family) names.push(a);
    }
  }
  const plates = (event.vehicles ?? []).map((v) => v.normalisedPlate || normalisePlate(v.plate)).filter((p) => p.length > 0);
  const skus = (event.products ?? []).map((p) => (p.sku ? p.sku.trim() : `n:${normaliseName(p.name).slice(0, 40)}`));
  const company = event.people?.length ?? 1;
  return {
    names: dedupeNames(names),
    dobs: person.dateOfBirth ? [person.dateOfBirth] : [],
    phones: person.phone ? [person.phone] : [],
    plates: uniq(plates),
    ...(company > 1 && plates.length ? { plateCompany: Object.fromEntries(plates.map((p) => [p, company])) } : {}),
    features: uniq((person.distinguishingFeatures ?? []).map((f) => f.trim()).filter(Boolean)),
    stores: [event.storeId],
    types: [event.type],
    skus: uniq(skus),
    times: [event.occurredAt],
    imageHashes: uniq(imageHashes.map((h) => h.toLowerCase()).filter((h) => IMAGE_HASH.test(h))),
    eventIds: event.id ? [event.id] : [],
    born: bornOf(event.occurredAt, person),
    heights: person.heightCm ? [person.heightCm] : [],
    builds: person.build ? [person.build] : [],
  };
}

/** The years a person may have been born in: the DOB's year, or the event's year less the estimated age (a year either side). */
function bornOf(occurredAt: string, person: Person | PersonLike): [number, number][] {
  const dobYear = person.dateOfBirth ? Number(person.dateOfBirth.slice(0, 4)) : NaN;
  if (Number.isInteger(dobYear)) return [[dobYear, dobYear]];
  const year = Number(occurredAt.slice(0, 4));
  const r = person.ageRange;
  if (!r || !Number.isInteger(year)) return [];
  return [[year - r.max - 1, year - r.min]];
}

/**
 * The aggregate of two fact sets: duplicates removed, each list capped at FACTS_LIST_CAP. When a
 * list overflows, the newest additions (b's) are kept; times keep the most recent.
 */
export function mergeFacts(a: PersonFacts, b: PersonFacts): PersonFacts {
  const cap = <T>(list: T[]): T[] => (list.length > FACTS_LIST_CAP ? list.slice(list.length - FACTS_LIST_CAP) : list);
  const times = uniq([...a.times, ...b.times])
    .sort((x, y) => Date.parse(y) - Date.parse(x))
    .slice(0, FACTS_LIST_CAP);
  const plates = cap(uniq([...a.plates, ...b.plates]));
  const company = mergeCompany(plates, a.plateCompany, b.plateCompany);
  return {
    names: cap(dedupeNames([...a.names, ...b.names])),
    dobs: cap(uniq([...a.dobs, ...b.dobs])),
    phones: cap(uniq([...a.phones, ...b.phones])),
    plates,
    ...(company ? { plateCompany: company } : {}),
    features: cap(uniq([...a.features, ...b.features])),
    stores: cap(uniq([...a.stores, ...b.stores])),
    types: cap(uniq([...a.types, ...b.types])),
    skus: cap(uniq([...a.skus, ...b.skus])),
    times,
    imageHashes: cap(uniq([...a.imageHashes, ...b.imageHashes])),
    // Event ids are not capped: they are what keeps two people of one event apart.
    eventIds: uniq([...(a.eventIds ?? []), ...(b.eventIds ?? [])]),
    born: cap(uniqBy([...(a.born ?? []), ...(b.born ?? [])], (r) => `${r[0]}-${r[1]}`)),
    heights: cap(uniq([...(a.heights ?? []), ...(b.heights ?? [])])),
    builds: cap(uniq([...(a.builds ?? []), ...(b.builds ?? [])])),
  };
}

/** The most people seen at once with a plate (1: alone, or not known). */
export function plateCompany(company: Record<string, number> | undefined, plate: string): number {
  const n = company && Object.hasOwn(company, plate) ? company[plate] : undefined;
  return typeof n === 'number' && n > 1 ? n : 1;
}

/** The larger company of each kept plate, from either side. */
function mergeCompany(plates: readonly string[], a: Record<string, number> | undefined, b: Record<string, number> | undefined): Record<string, number> | undefined {
  if (!a && !b) return undefined;
  const out: Record<string, number> = {};
  for (const p of plates) {
    const n = Math.max(plateCompany(a, p), plateCompany(b, p));
    if (n > 1) out[p] = n;
  }
  return Object.keys(out).length ? out : undefined;
}

function uniqBy<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}

function trimName(n: { given?: string; family?: string }): { given?: string; family?: string } {
  const out: { given?: string; family?: string } = {};
  if (n.given && normaliseGiven(n.given)) out.given = n.given.trim();
  if (n.family && normaliseFamily(n.family)) out.family = n.family.trim();
  return out;
}

function dedupeNames(names: PersonFacts['names']): PersonFacts['names'] {
  const seen = new Set<string>();
  const out: PersonFacts['names'] = [];
  for (const n of names) {
    const k = `${normaliseGiven(n.given)}|${normaliseFamily(n.family)}`;
    if (k === '|' || seen.has(k)) continue;
    seen.add(k);
    out.push(n);
  }
  return out;
}

function uniq<T>(list: T[]): T[] {
  return [...new Set(list)];
}
