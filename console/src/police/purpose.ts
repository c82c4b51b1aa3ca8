/**
 * Why a police officer is reading (PRODUCT §5b): stated once per session and sent on every
 * request as X-Legal-Basis and X-Case-Reference. Kept in sessionStorage beside the token, so it
 * goes when the tab closes or the officer signs out.
 */
import { CASE_REFERENCE, LEGAL_BASIS_LABELS, type LegalBasis } from './purpose-rules';

const LEGAL_BASES = Object.keys(LEGAL_BASIS_LABELS) as LegalBasis[];

export interface Purpose {
  legalBasis: LegalBasis;
  caseReference: string;
}

const KEY = 'daybreak.purpose';

export function statedPurpose(): Purpose | undefined {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!value || typeof value !== 'object') return undefined;
    const { legalBasis, caseReference } = value as Record<string, unknown>;
    if (!LEGAL_BASES.includes(legalBasis as LegalBasis) || typeof caseReference !== 'string' || !CASE_REFERENCE.test(caseReference)) return undefined;
    return { legalBasis: legalBasis as LegalBasis, caseReference };
  } catch {
    return undefined;
  }
}

export function statePurpose(purpose: Purpose | undefined): void {
  if (purpose) sessionStorage.setItem(KEY, JSON.stringify(purpose));
  else sessionStorage.removeItem(KEY);
}

/** The headers every police read carries. */
export const purposeHeaders = (purpose: Purpose) => ({ 'x-legal-basis': purpose.legalBasis, 'x-case-reference': purpose.caseReference });
