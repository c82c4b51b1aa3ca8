import type { Principal } from '../domain/principal';
import { settings } from '../config/settings';
import { createTokenVerifier } from './token-verifier';

let verifier: ReturnType<typeof createTokenVerifier> | undefined;

/** Validates the bearer token against the issuer's JWKS (fetched once, then cached). */
export function authenticate(authorization: string | null | undefined): Promise<Principal> {
  if (!verifier) {
    const s = settings();
    verifier = createTokenVerifier({
      issuer: s.AUTH_ISSUER,
      audience: s.AUTH_AUDIENCE,
      jwksUri: s.AUTH_JWKS_URI,
      orgClaim: s.AUTH_ORG_CLAIM,
    });
  }
  return verifier.verify(authorization);
}
