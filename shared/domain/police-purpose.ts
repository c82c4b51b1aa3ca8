import { z } from 'zod';

/** Why a police officer reads (PRODUCT §5b). */
export const LegalBasisSchema = z.enum(['investigation', 'warrant', 'emergency', 'prosecution']);
export type LegalBasis = z.infer<typeof LegalBasisSchema>;

export const CaseReferenceSchema = z.string().regex(/^[A-Za-z0-9/_.:-]{1,64}$/, 'Use 1–64 letters, digits and / _ . : -.');

export interface Purpose {
  legalBasis: LegalBasis;
  caseReference: string;
}
