import { z } from 'zod';
import { BadRequestError } from './errors';

/** Why a police officer reads (PRODUCT §5b). */
export const LegalBasisSchema = z.enum(['investigation', 'warrant', 'emergency', 'prosecution']);
export type LegalBasis = z.infer<typeof LegalBasisSchema>;

export const CaseReferenceSchema = z.string().regex(/^[A-Za-z0-9/_.:-]{1,64}$/, 'Use 1–64 letters, digits and / _ . : -.');

export const PURPOSE_HEADERS = { legalBasis: 'x-legal-basis', caseReference: 'x-case-reference' } as const;

export interface Purpose {
  legalBasis: LegalBasis;
  caseReference: string;
}

/**
 * The stated purpose of a police read, from its two headers, or 400 PURPOSE_REQUIRED naming what
 * is missing or malformed (surrounding spaces, which HTTP allows around a header value, aside).
 */
export function purposeFrom(header: (name: string) => string | null | undefined): Purpose {
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
