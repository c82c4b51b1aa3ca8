import { createHash } from 'node:crypto';
import { z } from 'zod';
import { roles, RoleSchema } from '../../shared/domain/principal';
import type { ExtraRoute, ExtraRouteRequest } from '../local-host/host';
import { signDevToken, type DevIssuerKey } from './dev-issuer';

/**
 * The console's development sign-in, served only by the local host (`npm start`, the test stack):
 * a page to pick an organisation and roles, a token endpoint that signs with the development
 * issuer's key, and /console-config.json telling the console where sign-in is. None of it is in the
 * console's bundle, so an Azure build cannot carry it; there, /console-config.json is a static file
 * naming Entra ID and the console signs in with MSAL (authorization code + PKCE, console/src/entra.ts).
 */
export const SIGN_IN_PATH = '/dev/sign-in';
const TOKEN_PATH = '/dev/token';
/** The console's sessionStorage key for the token (console/src/session.ts). */
const TOKEN_KEY = 'daybreak.token';

const TokenRequestSchema = z.object({
  org: z.string().trim().min(1).max(128).optional(),
  roles: z.array(RoleSchema).min(1),
  sub: z.string().trim().min(1).max(128).default('dev-user'),
  stores: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  mfa: z.boolean().default(false),
});

export interface DevIssuerSettings {
  issuer: string;
  audience: string;
  orgClaim: string;
}

export function devSignInRoutes(key: DevIssuerKey, settings: DevIssuerSettings): ExtraRoute[] {
  const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) });
  return [
    { method: 'GET', path: '/console-config.json', handler: async () => json(200, { signInUrl: SIGN_IN_PATH }) },
    {
      method: 'GET',
      path: SIGN_IN_PATH,
      handler: async () => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...PAGE_HEADERS }, body: PAGE }),
    },
    {
      method: 'POST',
      path: TOKEN_PATH,
      handler: async (request: ExtraRouteRequest) => {
        // Only this host's page may ask: a JSON body needs a CORS preflight that is never granted, and a stated Origin must be
        // one of the host's own loopback origins (never compared with Host, which a rebinding page chooses; the host checks Host too).
        const origin = request.headers.origin;
        if (!String(request.headers['content-type']).startsWith('application/json') || (origin !== undefined && !request.origins.has(origin))) {
          return json(403, { error: 'Only the development sign-in page of this host may ask for a token.' });
        }
        let body: unknown;
        try {
          body = JSON.parse(request.body.toString('utf8'));
        } catch {
          return json(400, { error: 'The body is not JSON.' });
        }
        const parsed = TokenRequestSchema.safeParse(body);
        if (!parsed.success) return json(400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
        const { org, stores, ...rest } = parsed.data;
        const token = await signDevToken(key, { ...settings, ...rest, ...(org ? { org } : {}), ...(stores?.length ? { stores } : {}), ttlSeconds: 8 * 3600 });
        return json(200, { token });
      },
    },
  ];
}

const STYLE = `
    body { font: 1rem/1.5 system-ui, sans-serif; color: #1b1f24; margin: 0; }
    header { background: #fff4d6; border-bottom: 1px solid #d9b44a; padding: 0.75rem 1.5rem; }
    main { max-width: 40rem; padding: 1rem 1.5rem 3rem; }
    .field { display: flex; flex-direction: column; gap: 0.25rem; margin-bottom: 1rem; }
    label, legend { font-weight: 600; }
    input[type=text] { font: inherit; padding: 0.4rem 0.5rem; border: 1px solid #6b7785; border-radius: 4px; }
    fieldset { border: 1px solid #c9d1da; border-radius: 6px; margin: 0 0 1rem; }
    fieldset label { font-weight: 400; display: block; }
    .hint { color: #4a5562; font-size: 0.9rem; margin: 0; }
    button { font: inherit; padding: 0.45rem 1rem; border: 1px solid #0b57a4; border-radius: 4px; background: #0b57a4; color: #fff; }
    :focus-visible { outline: 3px solid #0b57a4; outline-offset: 2px; }
    [role=alert] { color: #a3261b; font-weight: 600; }
  `;

const SCRIPT = `
    document.getElementById('sign-in').addEventListener('submit', async (event) => {
      event.preventDefault();
      const form = new FormData(event.target);
      const list = (value) => String(value || '').split(',').map((s) => s.trim()).filter(Boolean);
      const body = {
        org: String(form.get('org') || '').trim() || undefined,
        roles: form.getAll('roles'),
        sub: String(form.get('sub') || '').trim() || undefined,
        stores: list(form.get('stores')),
        mfa: form.get('mfa') === 'on',
      };
      const res = await fetch('${TOKEN_PATH}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = await res.json();
      if (!res.ok) { document.getElementById('error').textContent = answer.error; return; }
      sessionStorage.clear();
      sessionStorage.setItem('${TOKEN_KEY}', answer.token);
      // Back to a path of this origin only: '/\\evil.example' or '/%09/evil.example' resolve to another host.
      const back = new URL(new URLSearchParams(location.search).get('return') || '/', location.origin);
      location.assign(back.origin === location.origin ? back.pathname + back.search : '/');
    });
  `;

// Inline style and script allowed by their hashes alone; nothing else loads, nothing frames the page.
const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const PAGE_HEADERS = {
  'content-security-policy': `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(STYLE)}; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Development sign-in · Daybreak</title>
  <style>${STYLE}</style>
</head>
<body>
  <header><p><strong>Daybreak</strong> · local development only: tokens from the development issuer, never in Azure.</p></header>
  <main>
    <h1>Development sign-in</h1>
    <form id="sign-in">
      <div class="field">
        <label for="org">Organisation id</label>
        <input type="text" id="org" name="org" autocomplete="off" aria-describedby="org-hint" />
        <p class="hint" id="org-hint">A retailer or agency id, as printed by <code>npm run demo</code>; empty for a platform admin.</p>
      </div>
      <fieldset>
        <legend>Roles</legend>
        ${roles.map((role) => `<label><input type="checkbox" name="roles" value="${role}" /> ${role}</label>`).join('\n        ')}
      </fieldset>
      <div class="field">
        <label for="sub">User id</label>
        <input type="text" id="sub" name="sub" value="dev-user" autocomplete="off" />
      </div>
      <div class="field">
        <label for="stores">Stores (optional, comma-separated)</label>
        <input type="text" id="stores" name="stores" autocomplete="off" />
      </div>
      <p><label><input type="checkbox" id="mfa" name="mfa" /> Signed in with multi-factor authentication</label></p>
      <button type="submit">Sign in</button>
      <p id="error" role="alert"></p>
    </form>
  </main>
  <script>${SCRIPT}</script>
</body>
</html>
`;
