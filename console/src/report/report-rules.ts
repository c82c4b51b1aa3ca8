/**
 * The report form's values and the API's rules for them (EventInputSchema), checked here only to
 * say so next to the field before a request; the API checks them again, and screens free text,
 * which only it can. No browser APIs here: a unit test holds these rules to the API's.
 */
import type { components } from '../../../clients/ts/src/index';
// The server's own plate rules (a pure module): what the form accepts is what intake accepts.
import { NORMALISED_PLATE_PATTERN, normalisePlate, PLATE_PATTERN } from '../../../shared/domain/events/plates';

export type EventInput = components['schemas']['EventInput'];
export type EventType = EventInput['type'];
type Weapon = NonNullable<EventInput['violence']>['weapon'];
type Build = NonNullable<NonNullable<EventInput['people']>[number]['build']>;

/** The API's event types (every one, and only those, or the type check fails), as the form lists them. */
export const EVENT_TYPES: Record<EventType, true> = {
  shoplifting: true, 'cash-theft': true, 'refund-fraud': true, 'pos-fraud': true, 'currency-fraud': true, 'drive-off': true,
  'theft-from-person': true, robbery: true, burglary: true, assault: true, 'threatening-behaviour': true, 'verbal-abuse': true,
  'anti-social': true, trespass: true, damage: true, suspicious: true, other: true,
};
export const WEAPONS: readonly Weapon[] = ['none', 'knife', 'firearm', 'syringe', 'blunt', 'other'];
export const BUILDS: readonly Build[] = ['slim', 'medium', 'heavy'];

/** A form field's text, as typed. */
export interface PersonDraft {
  role: 'offender' | 'accomplice';
  profileId: string;
  given: string;
  family: string;
  /** Comma-separated. */
  aliases: string;
  dateOfBirth: string;
  ageMin: string;
  ageMax: string;
  heightCm: string;
  build: Build | '';
  phone: string;
  /** One a line. */
  features: string;
  clothing: string;
}
export interface VehicleDraft { plate: string; make: string; model: string; colour: string }
export interface ProductDraft { sku: string; name: string; quantity: string; unitValue: string }
export interface ReportDraft {
  storeId: string;
  /** A datetime-local value (the reporter's own time zone). */
  occurredAt: string;
  type: EventType;
  prevented: boolean;
  description: string;
  products: ProductDraft[];
  currency: string;
  people: PersonDraft[];
  vehicles: VehicleDraft[];
  threatened: boolean;
  used: boolean;
  weapon: Weapon;
  /** E.g. a minor was involved: seen only by Investigators and admins, never across retailers. */
  sensitive: boolean;
  policeReference: string;
}

export const emptyPerson = (): PersonDraft => ({
  role: 'offender', profileId: '', given: '', family: '', aliases: '', dateOfBirth: '', ageMin: '', ageMax: '', heightCm: '', build: '', phone: '', features: '', clothing: '',
});
export const emptyVehicle = (): VehicleDraft => ({ plate: '', make: '', model: '', colour: '' });
export const emptyProduct = (): ProductDraft => ({ sku: '', name: '', quantity: '1', unitValue: '' });
export const emptyReport = (): ReportDraft => ({
  storeId: '', occurredAt: '', type: 'shoplifting', prevented: false, description: '', products: [], currency: 'NZD', people: [], vehicles: [],
  threatened: false, used: false, weapon: 'none', sensitive: false, policeReference: '',
});

/** Messages by the API's error paths ('people.0.phone'), so the API's own errors land on the same fields. */
export type FieldErrors = Record<string, string>;

const STORE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PHONE = /^\+[1-9]\d{6,14}$/;

/** A phone number as typed ('+64 21 (123) 4567') in the form the API takes ('+64211234567'). */
export const normalisePhone = (typed: string): string => typed.replace(/[\s()-]/g, '');
const POLICE_REFERENCE = /^[A-Za-z0-9/_-]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;
/** How far ahead of the service's clock a time may be (PRODUCT §2: 60 s skew). */
const SKEW_MS = 60_000;

/** The form's values as the API's body, or the fields that the API would refuse, with why. */
export function checkReport(draft: ReportDraft, now: Date): { input: EventInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fail = (path: string, message: string) => void (errors[path] ??= message);
  const text = (path: string, value: string, max: number): string | undefined => {
    const trimmed = value.trim();
    if (!trimmed) return undefined;
    if (trimmed.length > max) fail(path, `At most ${max} characters (${trimmed.length} now).`);
    return trimmed;
  };
  const int = (path: string, value: string, min: number, max: number): number | undefined => {
    if (!value.trim()) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) fail(path, `A whole number from ${min} to ${max}.`);
    return n;
  };

  if (!STORE_ID.test(draft.storeId.trim())) fail('storeId', 'Choose the store.');
  const occurred = draft.occurredAt ? new Date(draft.occurredAt) : undefined;
  if (!occurred || Number.isNaN(occurred.getTime())) fail('occurredAt', 'When did it happen?');
  else if (occurred.getTime() > now.getTime() + SKEW_MS) fail('occurredAt', 'This time is in the future.');
  const description = text('description', draft.description, 2000);

  const products = draft.products.map((p, i) => {
    const name = text(`products.${i}.name`, p.name, 200);
    if (!name) fail(`products.${i}.name`, 'Name the product.');
    const unitValue = Number(p.unitValue);
    if (!p.unitValue.trim() || !Number.isFinite(unitValue) || unitValue < 0 || unitValue > 1_000_000) fail(`products.${i}.unitValue`, 'A value from 0 to 1,000,000.');
    const sku = text(`products.${i}.sku`, p.sku, 64);
    const quantity = int(`products.${i}.quantity`, p.quantity, 1, 10_000);
    if (quantity === undefined) fail(`products.${i}.quantity`, 'How many?');
    return { ...(sku ? { sku } : {}), name: name ?? '', quantity: quantity ?? 0, unitValue: Math.round(unitValue * 10_000) / 10_000 };
  });
  const currency = draft.currency.trim().toUpperCase();
  if (products.length && !CURRENCY.test(currency)) fail('currency', 'An ISO 4217 currency code, such as NZD.');

  const people = draft.people.map((p, i) => {
    const at = `people.${i}`;
    const given = text(`${at}.name.given`, p.given, 100);
    const family = text(`${at}.name.family`, p.family, 100);
    const aliases = p.aliases.split(',').map((a, j) => text(`${at}.name.aliases.${j}`, a, 100)).filter((a): a is string => !!a);
    if (aliases.length > 10) fail(`${at}.name.aliases`, 'At most 10 aliases.');
    if (p.dateOfBirth && !/^\d{4}-\d{2}-\d{2}$/.test(p.dateOfBirth)) fail(`${at}.dateOfBirth`, 'A date.');
    const min = int(`${at}.ageRange.min`, p.ageMin, 0, 120);
    const max = int(`${at}.ageRange.max`, p.ageMax, 0, 120);
    if ((min === undefined) !== (max === undefined)) fail(`${at}.ageRange.${min === undefined ? 'min' : 'max'}`, 'Give both ends of the age range.');
    if (min !== undefined && max !== undefined && min > max) fail(`${at}.ageRange.min`, 'The youngest age must not exceed the oldest.');
    const heightCm = int(`${at}.heightCm`, p.heightCm, 50, 250);
    const phone = normalisePhone(p.phone);
    if (phone && !PHONE.test(phone)) fail(`${at}.phone`, 'Use the international form, e.g. +64211234567.');
    const features = p.features.split('\n').map((f, j) => text(`${at}.distinguishingFeatures.${j}`, f, 200)).filter((f): f is string => !!f);
    if (features.length > 20) fail(`${at}.distinguishingFeatures`, 'At most 20 features.');
    const clothing = text(`${at}.clothing`, p.clothing, 500);
    const name = { ...(given ? { given } : {}), ...(family ? { family } : {}), ...(aliases.length ? { aliases } : {}) };
    return {
      ref: `p${i + 1}`,
      role: p.role,
      ...(p.profileId ? { profileId: p.profileId } : {}),
      ...(Object.keys(name).length ? { name } : {}),
      ...(p.dateOfBirth ? { dateOfBirth: p.dateOfBirth } : {}),
      ...(min !== undefined && max !== undefined ? { ageRange: { min, max } } : {}),
      ...(heightCm !== undefined ? { heightCm } : {}),
      ...(p.build ? { build: p.build } : {}),
      ...(phone ? { phone } : {}),
      ...(features.length ? { distinguishingFeatures: features } : {}),
      ...(clothing ? { clothing } : {}),
    };
  });

  const vehicles = draft.vehicles.map((v, i) => {
    const plate = v.plate.trim();
    if (!PLATE_PATTERN.test(plate) || !NORMALISED_PLATE_PATTERN.test(normalisePlate(plate))) fail(`vehicles.${i}.plate`, 'A plate of 1–12 letters or digits.');
    const make = text(`vehicles.${i}.make`, v.make, 50);
    const model = text(`vehicles.${i}.model`, v.model, 50);
    const colour = text(`vehicles.${i}.colour`, v.colour, 50);
    return { plate, ...(make ? { make } : {}), ...(model ? { model } : {}), ...(colour ? { colour } : {}) };
  });

  const policeReference = draft.policeReference.trim();
  if (policeReference && !POLICE_REFERENCE.test(policeReference)) fail('policeReference', 'Up to 64 letters, digits, slashes, dashes or underscores.');
  if (Object.keys(errors).length) return { errors };

  return {
    input: {
      storeId: draft.storeId.trim(),
      occurredAt: occurred!.toISOString(),
      type: draft.type,
      prevented: draft.prevented,
      ...(description ? { description } : {}),
      ...(products.length ? { products, currency } : {}),
      ...(people.length ? { people } : {}),
      ...(vehicles.length ? { vehicles } : {}),
      violence: { threatened: draft.threatened, used: draft.used, weapon: draft.weapon },
      sensitive: draft.sensitive,
      policeSharing: { mode: 'default', excludeAgencies: [] },
      ...(policeReference ? { policeReference } : {}),
    },
  };
}
