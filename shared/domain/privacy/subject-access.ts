import { z } from 'zod';
import { normalisePlate, NORMALISED_PLATE_PATTERN, PLATE_MESSAGE, PLATE_PATTERN } from '../events/plates';
import { EMPTY_FACTS, type PersonFacts } from '../matching/facts';
import { blockingKeys } from '../matching/keys';
import { compareFamily, compareGiven, nameToken, normaliseFamily, normaliseGiven, type Agreement } from '../matching/names';

/*
 * Subject access (PRODUCT §7): who the request is about, how a profile is confirmed to be that
 * person, and the rules that need no I/O. Pure: the use case in shared/privacy does the reads.
 */

export const SubjectAccessRequestSchema = z
  .object({
    /** "Given Family" (middle names ignored) or "Family, Given"; one word is a family name. */
    name: z.string().trim().min(2).max(200).optional(),
    dateOfBirth: z.iso.date().optional(),
    plate: z
      .string()
      .regex(PLATE_PATTERN, PLATE_MESSAGE)
      .refine((p) => NORMALISED_PLATE_PATTERN.test(normalisePlate(p)), 'A plate has 1–12 letters or digits.')
      .optional(),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use E.164, e.g. +64211234567.').optional(),
  })
  .strict()
  .refine((r) => r.name !== undefined || r.dateOfBirth !== undefined || r.plate !== undefined || r.phone !== undefined, {
    message: 'Give at least one of name, dateOfBirth, plate, phone.',
  });
export type SubjectAccessRequest = z.infer<typeof SubjectAccessRequestSchema>;
export type SubjectField = 'name' | 'dateOfBirth' | 'plate' | 'phone';

/** The fields a request gives, for the audit entry (names of fields, never their values). */
export function fieldsOf(req: SubjectAccessRequest): SubjectField[] {
  return (['name', 'dateOfBirth', 'plate', 'phone'] as const).filter((f) => req[f] !== undefined);
}

export interface RequestedName {
  given?: string;
  family: string;
}

/** "Jon Smith", "Jon Paul Smith" (middle dropped), "Smith, Jon", or "Smith" (family only). */
export function parseRequestedName(name: string): RequestedName | undefined {
  const trimmed = name.trim();
  if (trimmed.includes(',')) {
    const [family, rest] = trimmed.split(',', 2);
    const given = rest?.trim().split(/\s+/)[0];
    if (!normaliseFamily(family)) return undefined;
    return normaliseGiven(given) ? { given, family: family!.trim() } : { family: family!.trim() };
  }
  const words = trimmed.split(/\s+/).filter((w) => normaliseFamily(w));
  if (words.length === 0) return undefined;
  if (words.length === 1) return { family: words[0]! };
  return { given: words[0], family: words.at(-1)! };
}

/**
 * The blocking keys (shared/domain/matching/keys.ts) that stand for each field of the request:
 * a person matching that field holds at least one of them (as far as the matcher's own keys
 * find a person at all). OCR confusions are left out: subject access wants the plate itself.
 */
export function keysByField(req: SubjectAccessRequest): Partial<Record<SubjectField, string[]>> {
  const keysOf = (facts: Partial<PersonFacts>) => blockingKeys({ ...EMPTY_FACTS, ...facts }, { imageMatching: false });
  const out: Partial<Record<SubjectField, string[]>> = {};
  if (req.name !== undefined) {
    const n = parseRequestedName(req.name);
    out.name = n ? keysOf({ names: [n] }).filter((k) => k.startsWith('nm:') || k.startsWith('fm:') || k.startsWith('np:')) : [];
  }
  if (req.dateOfBirth !== undefined) out.dateOfBirth = keysOf({ dobs: [req.dateOfBirth] });
  if (req.phone !== undefined) out.phone = keysOf({ phones: [req.phone] });
  if (req.plate !== undefined) out.plate = keysOf({ plates: [normalisePlate(req.plate)] }).filter((k) => k.startsWith('pl:'));
  return out;
}

const AGREES: readonly Agreement[] = ['exact', 'nickname', 'phonetic', 'typo'];

/**
 * The same name by the matcher's own comparisons (shared/domain/matching/names.ts): the family
 * name exactly, sounding alike or one slip away, and the given name too when the request gives
 * one (nicknames count: Jon for Jonathan), also with given and family reported the other way
 * round. An initial is not enough to say it is this person.
 */
export function nameAgrees(requested: RequestedName, held: { given?: string; family?: string }): boolean {
  const token = (s: string | undefined, norm: (v: string | undefined) => string) => {
    const n = norm(s);
    return n ? nameToken(s!, n) : undefined;
  };
  const rf = token(requested.family, normaliseFamily);
  const rg = token(requested.given, normaliseGiven);
  const hf = token(held.family, normaliseFamily);
  const hg = token(held.given, normaliseGiven);
  if (!rf) return false;
  const straight = hf !== undefined && AGREES.includes(compareFamily(rf, hf)) && (!rg || (hg !== undefined && AGREES.includes(compareGiven(rg, hg))));
  if (straight) return true;
  // Reported the other way round: the requested family as the given name, and vice versa.
  const rfAsGiven = token(requested.family, normaliseGiven);
  const rgAsFamily = token(requested.given, normaliseFamily);
  return (
    rg !== undefined &&
    rfAsGiven !== undefined &&
    rgAsFamily !== undefined &&
    hf !== undefined &&
    hg !== undefined &&
    AGREES.includes(compareFamily(rgAsFamily, hf)) &&
    AGREES.includes(compareGiven(rfAsGiven, hg))
  );
}

const digits = (phone: string) => phone.replace(/\D/g, '');

/**
 * Whether a person (a profile's facts, or one mention's) is the person the request is about:
 * every field the request gives must agree with something held; a field the request gives but
 * the person has no value for does not agree. So the bundle holds only the requested person,
 * and a wider request is a request with fewer fields.
 */
export function factsMatch(req: SubjectAccessRequest, facts: PersonFacts): boolean {
  if (req.name !== undefined) {
    const n = parseRequestedName(req.name);
    if (!n || !facts.names.some((h) => nameAgrees(n, h))) return false;
  }
  if (req.dateOfBirth !== undefined && !facts.dobs.includes(req.dateOfBirth)) return false;
  if (req.phone !== undefined && !facts.phones.some((p) => digits(p) === digits(req.phone!))) return false;
  if (req.plate !== undefined && !facts.plates.includes(normalisePlate(req.plate))) return false;
  return true;
}
