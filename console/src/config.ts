/**
 * Where the console sends someone to sign in, read at start from /console-config.json so that the
 * bundle holds no development code: the local host answers with its development sign-in page. An
 * Azure deployment would answer with the Entra ID settings (tenant, client id, API scope) and this
 * is where MSAL (authorization code + PKCE) plugs in; not built in this slice.
 */
export interface ConsoleConfig {
  signInUrl?: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const res = await fetch('/console-config.json', { headers: { accept: 'application/json' } });
    if (!res.ok) return {};
    const body: unknown = await res.json();
    const signInUrl = body && typeof body === 'object' && 'signInUrl' in body ? body.signInUrl : undefined;
    return typeof signInUrl === 'string' && signInUrl.startsWith('/') ? { signInUrl } : {};
  } catch {
    return {};
  }
}
