import type { components } from '../../../clients/ts/src/index';

export type Profile = components['schemas']['Profile'];
export type LinkSuggestion = components['schemas']['LinkSuggestion'];

/** A calibrated probability as a person reads it: 0.8731 → '87%'; never a certainty the model does not claim (0.9996 → 'over 99%', not '100%'). */
export const percent = (p: number): string => (p >= 0.995 ? 'over 99%' : p > 0 && p < 0.005 ? 'under 1%' : `${Math.round(p * 100)}%`);

/** Names as a person reads them: 'Jon Smith, Jonathan Smith'. */
export const namesText = (names: readonly { given?: string; family?: string }[]): string =>
  names.map((n) => [n.given, n.family].filter(Boolean).join(' ')).filter(Boolean).join(', ') || 'No name recorded';

/** Everyone a profile has been recorded as. */
export const profileNames = (profile: Pick<Profile, 'person'>): string => namesText(profile.person.names);
