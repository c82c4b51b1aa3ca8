/**
 * The signed-in user: a bearer token kept in sessionStorage (gone when the tab closes), and the
 * claims the console reads from it to choose what to show. The API checks every claim itself;
 * these only decide which views are offered.
 *
 * Locally the development sign-in page (served by the local host, never part of this bundle)
 * writes the token under TOKEN_KEY. In Azure, MSAL (authorization code + PKCE against Entra ID,
 * entra.ts) acquires it and registers itself as the token source, asked again before every API call.
 */
export const TOKEN_KEY = 'daybreak.token';

export interface Session {
  token: string;
  sub: string;
  org?: string;
  roles: string[];
  mfa: boolean;
  expiresAt: number;
}

export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return undefined;
  const claims = decodePayload(token);
  const expiresAt = typeof claims?.exp === 'number' ? claims.exp * 1000 : 0;
  if (!claims || expiresAt <= Date.now()) {
    sessionStorage.removeItem(TOKEN_KEY);
    return undefined;
  }
  return {
    token,
    sub: String(claims.sub ?? ''),
    ...(typeof claims.org === 'string' ? { org: claims.org } : {}),
    roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    mfa: Array.isArray(claims.amr) && claims.amr.includes('mfa'),
    expiresAt,
  };
}

type TokenSource = () => Promise<string | undefined>;
let source: TokenSource | undefined;

/** Who renews the token (MSAL in an Azure build); none locally, where the stored token is all there is. */
export function setTokenSource(next: TokenSource): void {
  source = next;
}

/**
 * The token to send now: the source's (renewed silently when near expiry, and stored for
 * currentSession), else the stored one; undefined when there is none or the source needs the person.
 */
export async function freshToken(): Promise<string | undefined> {
  if (!source) return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  const token = await source();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  return token;
}

/** Forgets the token and everything stated for it (the police purpose). */
export function signOut(): void {
  sessionStorage.clear();
}

const ENDED = 'daybreak:session-ended';

/** The API refused the token (401: expired or revoked): sign out, and tell the app to offer sign-in again. */
export function endSession(): void {
  signOut();
  dispatchEvent(new Event(ENDED));
}

/** Calls `listener` whenever the session is ended by a refused call; returns the unsubscribe. */
export function onSessionEnded(listener: () => void): () => void {
  addEventListener(ENDED, listener);
  return () => removeEventListener(ENDED, listener);
}

function decodePayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
