/**
 * Data minimisation (PRODUCT §2): bodies may carry no field for a sensitive characteristic
 * (400 SENSITIVE_FIELD), and free text may carry no sensitive-characteristic term
 * (422 SENSITIVE_TEXT). The intake calls assertNoSensitiveFields on the raw body before the
 * schema, then assertNoSensitiveText on the free-text fields of the parsed body.
 */
import { UnprocessableError, ValidationError, type FieldError } from '../errors';
import { findSensitiveFields } from './sensitive-fields';
import { readings, screenText, type SensitiveTerm } from './sensitive-text';

export { findSensitiveFields, isSensitiveKey, keyWords, MAX_SCAN_DEPTH } from './sensitive-fields';
export {
  createTextScreener,
  defaultLexicon,
  foldDiacritics,
  LexiconSchema,
  screenText,
  wordForms,
  type SensitiveTerm,
} from './sensitive-text';

/** A free-text field to screen: its zod-style dotted path and its text. */
export interface TextField {
  path: string;
  text: string;
  /**
   * What a person of the report wears or bears (clothing, distinguishing features): a bare
   * "muslim headscarf" there describes them, as "wore a muslim headscarf" would in a description,
   * though the same words alone read as a thing (a product on a shelf).
   */
  worn?: boolean;
}

const WORN = 'Wore ';

/** Where a list of worn things breaks into items ("jeans, muslim headscarf", "jeans and a …", one per line, bullets). */
const WORN_ITEMS = /[.,;:!?/+()\n\r\u2022&]+|\s[-\u2013\u2014]\s|\s(?:and|with|plus)\s/i;

/**
 * The terms of one field; a worn field's also as what its person wore, item by item, each term
 * once. Each reading of the text (readings) is split where its reader sees items ("jeans；muslim
 * headscarf" reads with a semicolon).
 */
function screenField({ text, worn }: TextField): SensitiveTerm[] {
  // screenText reads the text each way itself; the readings here only say where a worn list breaks.
  const found = screenText(text);
  if (!worn) return found;
  const add = (t: SensitiveTerm) => void (found.some((f) => f.term === t.term) || found.push(t));
  for (const reading of readings(text)) {
    const items = reading.split(WORN_ITEMS).map((s) => s.trim()).filter(Boolean);
    for (const t of items.flatMap((item) => screenText(WORN + item))) add(t.phrase?.startsWith(WORN) ? { ...t, phrase: t.phrase.slice(WORN.length) } : t);
  }
  return found;
}

/** Joins a zod issue path (`['people', 0, 'clothing']`) the way these errors name fields. */
export function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Throws 400 `SENSITIVE_FIELD` naming every key in `body` that denotes a sensitive characteristic. */
export function assertNoSensitiveFields(body: unknown): void {
  const paths = findSensitiveFields(body);
  if (paths.length === 0) return;
  throw new ValidationError(
    paths.map((path) => ({
      path,
      message: 'Sensitive characteristics (ethnicity, religion, health, …) are never recorded: remove this field.',
    })),
    `The body carries field(s) for sensitive characteristics, which are never recorded: ${paths.join(', ')}.`,
    'SENSITIVE_FIELD',
  );
}

/** ` in "looked Indian"`: the words a term was judged to describe a person in, when they say more than the term. */
function inContext(t: SensitiveTerm): string {
  const said = t.phrase?.replace(/\s+/g, ' ').trim();
  return said && said.toLowerCase() !== t.term ? ` in "${said}"` : '';
}
const termInContext = (t: SensitiveTerm): string => `${t.term}${inContext(t)}`;

/** One field error per field whose text describes a person by a sensitive term (empty when all are clean). */
export function sensitiveTextErrors(fields: readonly TextField[]): { errors: FieldError[]; terms: SensitiveTerm[] } {
  const errors: FieldError[] = [];
  const terms: SensitiveTerm[] = [];
  const seen = new Set<string>();
  for (const field of fields) {
    const { path } = field;
    const found = screenField(field);
    if (found.length === 0) continue;
    errors.push({ path, message: `Contains sensitive term(s): ${found.map(termInContext).join(', ')}` });
    for (const term of found) {
      if (seen.has(term.term)) continue;
      seen.add(term.term);
      terms.push(term);
    }
  }
  return { errors, terms };
}

/** Throws 422 `SENSITIVE_TEXT` naming the terms found, with one error per offending field. */
export function assertNoSensitiveText(fields: readonly TextField[]): void {
  const { errors, terms } = sensitiveTextErrors(fields);
  if (errors.length === 0) return;
  throw new UnprocessableError(
    'SENSITIVE_TEXT',
    `Free text describes a person by a sensitive characteristic: ${terms.map((t) => `"${t.term}"${inContext(t)}`).join(', ')}. ` +
      'Describe behaviour, clothing and physical features instead.',
    errors,
  );
}
