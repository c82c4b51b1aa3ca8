import { BadRequestError } from '../domain/errors';
import { CaseReferenceSchema, LegalBasisSchema, type Purpose } from '../domain/police-purpose';

/** The two headers a police officer states why they read in (PRODUCT §5b). */
export const PURPOSE_HEADERS = { legalBasis: 'x-legal-basis', caseReference: 'x-case-reference' } as const;

type Header = (name: string) => string | null | undefined;

/**
 * The stated purpose of a police read, from its two headers, or 400 PURPOSE_REQUIRED naming what
 * is missing or malformed (surrounding spaces, which HTTP allows around a header value, aside).
 */
export function purposeFromHeaders(header: Header): Purpose {
  const basis = LegalBasisSchema.safeParse(header(PURPOSE_HEADERS.legalBasis)?.trim());
  const reference = CaseReferenceSchema.safeParse(header(PURPOSE_HEADERS.caseReference)?.trim());
  const errors = [
    ...(basis.success ? [] : [{ path: PURPOSE_HEADERS.legalBasis, message: `Give one of ${LegalBasisSchema.options.join(', ')}.` }]),
    ...(reference.success ? [] : [{ path: PURPOSE_HEADERS.caseReference, message: 'Give the case reference: 1–64 letters, digits and / _ . : -.' }]),
  ];
  if (!basis.success || !reference.success) {
    throw new BadRequestError('PURPOSE_REQUIRED', 'A police read states its legal basis (X-Legal-Basis) and case reference (X-Case-Reference).', errors);
  }
  return { legalBasis: basis.data, caseReference: reference.data };
}

/** The purpose, read from the headers when the use case asks for it (a retailer's caller never is). */
export const purposeReader =
  (header: Header): (() => Purpose) =>
  () =>
    purposeFromHeaders(header);

/** Where a purpose is optional: its reader when either header was sent (one of the two is no statement: 400), else none. */
export function offeredPurpose(header: Header): (() => Purpose) | undefined {
  return header(PURPOSE_HEADERS.legalBasis) || header(PURPOSE_HEADERS.caseReference) ? purposeReader(header) : undefined;
}
