/** The API's rules for a stated purpose, as the console checks them (no browser APIs here: a unit test reads this file). */
import type { paths } from '../../../clients/ts/src/index';

/** The API's legal bases, from its OpenAPI document: a basis added or dropped there fails the type check here. */
export type LegalBasis = NonNullable<NonNullable<paths['/api/v1/events']['get']['parameters']['header']>['x-legal-basis']>;
/** Each basis as the form shows it (every one, and only those, or the type check fails). */
export const LEGAL_BASIS_LABELS: Record<LegalBasis, string> = {
  investigation: 'Investigation',
  warrant: 'Warrant',
  emergency: 'Emergency',
  prosecution: 'Prosecution',
};

/** The API's own rule for a case reference (CaseReferenceSchema; a unit test holds them equal), checked here only to say so before a request. */
export const CASE_REFERENCE = /^[A-Za-z0-9/_.:-]{1,64}$/;
