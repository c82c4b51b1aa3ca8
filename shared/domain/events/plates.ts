/**
 * What may separate a plate's characters as written: a space of any width on one line (a
 * non-breaking one from a phone; never a line break or a tab), any dash or hyphen (en and em
 * dashes, U+2010–2015, the minus sign), dots.
 */
const SEPARATORS = ' \\u00a0\\u2000-\\u200a\\u202f\\u205f\\u3000\\-.·\\u2010-\\u2015\\u2212';
const SEPARATOR = new RegExp(`[${SEPARATORS}]`, 'g');

/** Upper case, no spaces, dashes or dots: "abc-123", "ABC 123" and "abc–123" are the same plate. */
export function normalisePlate(plate: string): string {
  return plate.toUpperCase().replace(SEPARATOR, '');
}

export const PLATE_MESSAGE = 'Use up to 20 letters, digits, spaces, dashes or dots.';

/** A plate as given (kept for display): letters and digits with separators anywhere, at most 20 characters. */
export const PLATE_PATTERN = new RegExp(`^(?=[^]{1,20}$)[${SEPARATORS}]*[A-Za-z0-9][A-Za-z0-9${SEPARATORS}]*$`);
export const NORMALISED_PLATE_PATTERN = /^[A-Z0-9]{1,12}$/;
