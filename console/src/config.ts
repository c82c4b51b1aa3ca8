/**
 * Where the console signs in and which API it calls, read at start from /console-config.json so that
 * the bundle holds no development code and no deployment's settings:
 * - the local host answers `{ "signInUrl": "/dev/sign-in" }`, its development sign-in page, and the
 *   API is this origin;
 * - an Azure build's static file (written by the console build from the azd environment,
 *   tools/console/page-headers.ts) answers `{ "apiBaseUrl": "https://func-….azurewebsites.net",
 *   "entra": { "authority", "clientId", "apiScope" } }`: sign-in with MSAL (authorization code +
 *   PKCE, entra.ts, loaded only then).
 */
export interface EntraSignIn {
  kind: 'entra';
  /** https://login.microsoftonline.com/<tenant-id> */
  authority: string;
  clientId: string;
  /** The API's delegated scope, api://<api-app-id>/access_as_user. */
  apiScope: string;
}

export type SignIn = { kind: 'page'; url: string } | EntraSignIn;

export interface ConsoleConfig {
  /** Undefined: this deployment has no sign-in the console can use. */
  signIn?: SignIn;
  /** The API's origin (paths are /api/v1/…): this page's own unless the document names another. */
  apiBaseUrl: string;
}

/**
 * Reads the document; anything malformed counts as absent (no sign-in offered) rather than half-used.
 * Entra wins over a sign-in page if both are named: an Azure build's document never names a page.
 */
export function parseConfig(body: unknown, pageOrigin: string): ConsoleConfig {
  const doc = isRecord(body) ? body : {};
  const apiBaseUrl = originOf(doc.apiBaseUrl) ?? pageOrigin;
  const entra = entraOf(doc.entra);
  if (entra) return { signIn: entra, apiBaseUrl };
  const url = doc.signInUrl;
  // A path on this origin only: '//evil.example' is another host.
  if (typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') && !url.includes('\\')) return { signIn: { kind: 'page', url }, apiBaseUrl };
  return { apiBaseUrl };
}

/** Fetches and reads the document; no document (or no answer) is no sign-in, with the API at `pageOrigin`. */
export async function loadConfig(pageOrigin: string): Promise<ConsoleConfig> {
  try {
    const res = await fetch('/console-config.json', { headers: { accept: 'application/json' } });
    if (!res.ok) return { apiBaseUrl: pageOrigin };
    return parseConfig(await res.json(), pageOrigin);
  } catch {
    return { apiBaseUrl: pageOrigin };
  }
}

function entraOf(value: unknown): EntraSignIn | undefined {
  if (!isRecord(value)) return undefined;
  const { clientId, apiScope } = value;
  const tenantId = typeof value.tenantId === 'string' && /^[\w.-]+$/.test(value.tenantId) ? value.tenantId : undefined;
  // An authority named outright, or the tenant's on the public cloud.
  const authority = httpsUrl(value.authority) ?? (tenantId ? `https://login.microsoftonline.com/${tenantId}` : undefined);
  if (!authority || typeof clientId !== 'string' || !clientId.trim() || typeof apiScope !== 'string' || !apiScope.trim()) return undefined;
  return { kind: 'entra', authority: authority.replace(/\/+$/, ''), clientId: clientId.trim(), apiScope: apiScope.trim() };
}

function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.search && !url.hash ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** An https origin with no path (a trailing slash allowed); anything else is not an API base. */
function originOf(value: unknown): string | undefined {
  const href = httpsUrl(value);
  if (!href) return undefined;
  const url = new URL(href);
  return url.pathname === '/' ? url.origin : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
