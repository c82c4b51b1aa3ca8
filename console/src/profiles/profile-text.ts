import type { components } from '../../../clients/ts/src/index';

export type Profile = components['schemas']['Profile'];
export type LinkSuggestion = components['schemas']['LinkSuggestion'];

/** A calibrated probability as a person reads it: 0.8731 → '87%'. */
export const percent = (p: number): string => `${Math.round(p * 100)}%`;

/** Everyone a profile has been recorded as: 'Jon Smith, Jonathan Smith'. */
export const profileNames = (profile: Pick<Profile, 'person'>): string =>
  profile.person.names.map((n) => [n.given, n.family].filter(Boolean).join(' ')).filter(Boolean).join(', ') || 'No name recorded';
