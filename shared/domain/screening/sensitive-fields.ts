/**
 * Finds object keys that name a sensitive characteristic (PRODUCT §2: "there is no field for
 * ethnicity, race, skin tone, religion, political affiliation, sexual orientation, health or
 * union membership"; disability added by the issue). The strict event schema already rejects
 * unknown keys; this check runs first so the caller gets the specific `SENSITIVE_FIELD` answer,
 * and it also covers free-form maps a schema might let through.
 *
 * How a key is judged:
 * 1. It is split into lower-case words at separators (`_`, `-`, space, `.`, …), camelCase humps
 *    and letter/digit changes: `offenderEthnicity` → offender, ethnicity; `SKIN-TONE` → skin, tone.
 * 2. Every word, and every run of 2–3 adjacent words glued together, is looked up in SENSITIVE_WORDS
 *    (so `skin_tone`, `Skin Tone` and `skintone` all become "skintone"). Whole words only:
 *    `race` never matches inside `trace`, `embrace` or `bracelet`.
 * 3. The key with its separators removed is searched for a few long stems that occur in no
 *    ordinary word (`ethnic`, `religio`, `disabilit`, `sexualorientation`, …), which catches
 *    all-lower-case run-together keys such as `offenderethnicity`.
 *
 * Judgement calls (kept deliberately narrow: a false positive blocks a legitimate request, while a
 * miss is still rejected by the strict schema as an unknown field):
 * - Not sensitive on their own: `healthy` (a service status), `disabled` (a feature toggle),
 *   `condition`, `orientation` (image orientation), `union` (a type union, credit union), `party`
 *   (third party), `sex`/`gender`, `nationality`, `denomination` (currency), `diagnostics`,
 *   `injury`. Compounds that make them sensitive are listed (`healthCondition`, `unionMember`,
 *   `politicalParty`, `partyAffiliation`, `genderIdentity`, `sexualOrientation`).
 * - `goodFaith`/`badFaith` are legal terms, not religion, and `healthCheck` is about a service:
 *   these whole keys are exempt.
 * - Gender identity (`genderIdentity`, `transgender`) is treated with sexual orientation: both are
 *   "sex life or sexual orientation" data, and the product has no field for either.
 */

/** Words and glued compounds (lower case, no separators) that make a key sensitive. */
export const SENSITIVE_WORDS: ReadonlySet<string> = new Set([
  // ethnicity / race / skin tone
  'ethnicity', 'ethnicities', 'ethnic', 'ethnically', 'ethnicorigin', 'race', 'races', 'racial', 'racially',
  'skintone', 'skintones', 'skincolour', 'skincolor', 'skinshade', 'complexion', 'ancestry', 'caste',
  'tribe', 'tribal', 'iwi', 'hapu',
  // religion
  'religion', 'religions', 'religious', 'faith', 'faiths', 'creed', 'creeds', 'religiousbelief', 'beliefs',
  // political
  'political', 'politics', 'politicalaffiliation', 'politicalopinion', 'politicalparty', 'politicalview',
  'politicalviews', 'partyaffiliation', 'partymembership', 'votingintention', 'votingpreference',
  // sexual orientation / gender identity
  'sexuality', 'sexualorientation', 'sexualpreference', 'orientationsexual', 'lgbt', 'lgbtq', 'lgbtqi',
  'lgbtqia', 'gay', 'lesbian', 'bisexual', 'homosexual', 'heterosexual', 'queer', 'genderidentity',
  'transgender',
  // health
  'health', 'medical', 'medicalcondition', 'healthcondition', 'diagnosis', 'diagnoses', 'illness',
  'illnesses', 'disease', 'diseases', 'medication', 'medications', 'prescription', 'prescriptions',
  'allergy', 'allergies', 'symptoms', 'hiv', 'pregnancy', 'pregnant', 'bloodtype', 'bloodgroup',
  'mentalhealth',
  // disability
  'disability', 'disabilities', 'disabilitystatus', 'handicap', 'handicapped', 'impairment', 'impairments',
  'wheelchair', 'disabledperson',
  // trade-union membership
  'tradeunion', 'tradeunions', 'unionmember', 'unionmembers', 'unionmembership', 'unionaffiliation',
  'unionstatus', 'labourunion', 'laborunion', 'unionised', 'unionized', 'tradeunionist', 'unionist',
]);

/** Whole-key compounds that contain a sensitive word but mean something else. */
const EXEMPT_COMPOUNDS: ReadonlySet<string> = new Set(['goodfaith', 'badfaith', 'healthcheck', 'healthchecks']);

/** Stems that occur in no ordinary English word: searched inside the whole key, separators removed. */
const SENSITIVE_STEMS: readonly string[] = [
  'ethnic', 'racial', 'religio', 'skintone', 'skincolo', 'sexualorientation', 'sexuality', 'genderidentity',
  'transgender', 'homosexual', 'bisexual', 'heterosexual', 'politicalaffil', 'politicalopinion',
  'politicalpart', 'partyaffiliation', 'disabilit', 'medicalcondition', 'healthcondition', 'tradeunion',
  'unionmember', 'lgbt',
];

/** Deeper than this is not scanned: the schema rejects such bodies anyway. */
export const MAX_SCAN_DEPTH = 64;

/** The lower-case words of a key: `offenderEthnicity` → ['offender', 'ethnicity']. */
export function keyWords(key: string): string[] {
  const words: string[] = [];
  for (const part of key.normalize('NFD').replace(/\p{M}+/gu, '').split(/[^\p{L}\p{N}]+/u)) {
    // Upper-case runs (HTML in HTMLParser), capitalised or lower-case words, and digit runs.
    const pieces = part.match(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+|[\p{L}\p{N}]+/gu);
    if (pieces) for (const piece of pieces) words.push(piece.toLowerCase());
  }
  return words;
}

/**
 * Answers by key, remembered: a body's keys are nearly always the schema's few dozen, and working
 * one out (normalising, splitting, matching) cost more than the rest of screening a body. Bounded,
 * so a caller sending endless made-up keys only empties it.
 */
const knownKeys = new Map<string, boolean>();
const MAX_KNOWN_KEYS = 1_000;

/** Whether a single key names a sensitive characteristic. */
export function isSensitiveKey(key: string): boolean {
  let answer = knownKeys.get(key);
  if (answer === undefined) {
    answer = judgeKey(key);
    if (knownKeys.size >= MAX_KNOWN_KEYS) knownKeys.clear();
    knownKeys.set(key, answer);
  }
  return answer;
}

function judgeKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0) return false;
  const glued = words.join('');
  if (EXEMPT_COMPOUNDS.has(glued)) return false;
  for (let i = 0; i < words.length; i++) {
    let run = '';
    for (let j = i; j < Math.min(words.length, i + 3); j++) {
      run += words[j];
      if (SENSITIVE_WORDS.has(run)) return true;
    }
  }
  return SENSITIVE_STEMS.some((stem) => glued.includes(stem));
}

/**
 * The dotted paths (`people.0.ethnicity`, zod-style: array indices as numbers, joined with '.') of
 * every key, at any depth, that names a sensitive characteristic. Objects nested deeper than
 * MAX_SCAN_DEPTH are not scanned; an object met twice (a cycle) is scanned once.
 */
export function findSensitiveFields(body: unknown): string[] {
  const found: string[] = [];
  const seen = new WeakSet<object>();

  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (depth > MAX_SCAN_DEPTH || seen.has(value)) return;
    seen.add(value);
    const prefix = path === '' ? '' : `${path}.`;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${prefix}${index}`, depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${prefix}${key}`;
      if (isSensitiveKey(key)) found.push(childPath);
      visit(child, childPath, depth + 1);
    }
  };

  visit(body, '', 0);
  return found;
}
