import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ServiceUnavailableError, UnauthenticatedError } from '../domain/errors';
import { RoleSchema, type Principal, type Role } from '../domain/principal';
import { effectiveRoles } from '../domain/authorization';

/**
 * Bearer-token verification: the only module that uses jose to verify tokens.
 * Every rejection is an UnauthenticatedError with a fixed, safe detail; library messages
 * never reach the caller.
 */
export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  /** The issuer's JWKS; fetched lazily and cached by jose. */
  jwksUri?: string;
  /** A key set to use instead of jwksUri (tests). */
  keySet?: JWTVerifyGetKey;
  /** Name of the claim that carries the organisation id. */
  orgClaim: string;
  clockToleranceSeconds?: number;
}

export interface TokenVerifier {
  verify(authorizationHeader: string | undefined | null): Promise<Principal>;
}

/** Asymmetric only: `none` and HMAC would let anyone holding public material mint tokens. */
const ALGORITHMS = ['RS256', 'ES256'];
/** Real tokens are a few KiB; refuse to parse anything absurd. */
const MAX_HEADER_LENGTH = 16 * 1024;
const BEARER = /^Bearer +([^\s]+)\s*$/i;

const INVALID = 'The token is not valid.';

const StringList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (typeof v === 'string' ? v.split(',') : (v ?? [])).map((s) => s.trim()).filter(Boolean));

const ClaimsSchema = z.object({
  sub: z.string().trim().min(1),
  roles: StringList.transform((names) => [
    ...new Set(names.filter((n): n is Role => RoleSchema.safeParse(n).success)),
  ]),
  // Absent: every store. Present but empty: none (an empty list never widens a scope to everything).
  stores: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? null : [...new Set((typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter(Boolean))])),
  /** True when the sign-in used MFA. */
  amr: z.unknown().optional().transform((amr) => Array.isArray(amr) && amr.includes('mfa')),
});

const OrgSchema = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : null));

/** Marks a failure of the key source itself (network, bad JWKS), as opposed to a bad token. */
class KeySourceUnavailable extends Error {
  constructor(readonly reason: unknown) {
    super('The signing keys could not be loaded.');
  }
}

export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  if (!config.issuer || !config.audience || !config.orgClaim) {
    throw new Error('Token verifier needs issuer, audience and orgClaim.');
  }
  const source =
    config.keySet ??
    (config.jwksUri
      ? // Created once so keys are cached (10 min) and refetched on an unknown kid at most every 30 s.
        createRemoteJWKSet(new URL(config.jwksUri), {
          timeoutDuration: 5_000,
          cooldownDuration: 30_000,
          cacheMaxAge: 10 * 60_000,
        })
      : undefined);
  if (!source) throw new Error('Token verifier needs jwksUri or keySet.');

  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await source(header, token);
    } catch (err) {
      // An unknown kid is the token's fault; anything else is the key source's.
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      throw new KeySourceUnavailable(err);
    }
  };
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: ALGORITHMS,
    requiredClaims: ['iss', 'aud', 'exp', 'sub'],
    clockTolerance: config.clockToleranceSeconds ?? 60,
  };

  const verified = new VerifiedTokens(options.clockTolerance);

  return {
    async verify(authorizationHeader) {
      if (!authorizationHeader) throw new UnauthenticatedError('A bearer token is required.');
      if (authorizationHeader.length > MAX_HEADER_LENGTH) throw new UnauthenticatedError(INVALID);
      const match = BEARER.exec(authorizationHeader);
      if (!match?.[1]) throw new UnauthenticatedError('Use the Bearer authorization scheme.');
      const token = match[1];
      const known = verified.get(token);
      if (known) return known;

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, options));
      } catch (err) {
        throw toAppError(err);
      }
      const principal = toPrincipal(payload, config.orgClaim);
      verified.add(token, principal, payload.exp!);
      return principal;
    },
  };
}

/**
 * Tokens this process verified in the last minute, by their exact text: a client sends the same
 * token with every request, and checking its signature again (a public-key operation) would
 * give the same answer, since it cannot change and the keys are cached by jose for longer (10
 * min). An entry ends at the token's expiry (with the same skew) or after a minute, whichever
 * comes first; a token not in it is verified in full. Only tokens that passed are kept.
 */
class VerifiedTokens {
  private static readonly MAX = 1_000;
  private static readonly FOR_MS = 60_000;
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly toleranceSeconds: number) {}

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (Date.now() < entry.until) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  add(token: string, principal: Principal, exp: number): void {
    if (this.entries.size >= VerifiedTokens.MAX) this.entries.delete(this.entries.keys().next().value!);
    const until = Math.min(Date.now() + VerifiedTokens.FOR_MS, (exp + this.toleranceSeconds) * 1000);
    // Frozen: every request holding this token gets the same object, which none may change.
    this.entries.set(token, { principal: deepFreeze(principal), until });
  }
}

function deepFreeze(principal: Principal): Principal {
  Object.freeze(principal.roles);
  if (principal.stores) Object.freeze(principal.stores);
  return Object.freeze(principal);
}

function toPrincipal(payload: JWTPayload, orgClaim: string): Principal {
  const claims = ClaimsSchema.safeParse(payload);
  const org = OrgSchema.safeParse(payload[orgClaim]);
  if (!claims.success || !org.success) throw new UnauthenticatedError(INVALID);
  const { sub, roles, stores, amr } = claims.data;
  return { sub, orgId: org.data, roles: effectiveRoles(roles, org.data), stores, mfa: amr };
}

/**
 * Choice: an unreachable or broken JWKS answers 503, not 401. The caller's token may be
 * perfectly good, and a 401 would send clients into pointless re-sign-in loops while
 * hiding an outage; a 503 is retried and shows up as a server-side fault. The original
 * error rides along as `cause` for the log, never in the response.
 */
function toAppError(err: unknown): Error {
  if (err instanceof KeySourceUnavailable) {
    const unavailable = new ServiceUnavailableError('The token could not be checked right now; try again shortly.');
    unavailable.cause = err.reason;
    return unavailable;
  }
  if (err instanceof errors.JWTExpired) return new UnauthenticatedError('The token has expired.');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return new UnauthenticatedError(`The token has no "${err.claim}" claim.`);
    if (err.claim === 'nbf') return new UnauthenticatedError('The token is not yet valid.');
    if (err.claim === 'iss' || err.claim === 'aud') {
      return new UnauthenticatedError('The token was not issued for this service.');
    }
  }
  return new UnauthenticatedError(INVALID);
}
