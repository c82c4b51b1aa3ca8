import { consolePageHeaders } from '../../../tools/console/page-headers';
import { baseUrl } from '../support/api';
import { checkView, openBrowser, type Browser } from '../support/browser';

/**
 * The console as an Azure build runs it: /console-config.json names Entra ID, so Sign in loads MSAL
 * and redirects to the authority (authorization code + PKCE). Entra ID is played by page routes: no
 * request leaves loopback (any other is aborted and named), and the page gets the Azure build's CSP.
 */
jest.setTimeout(120_000);

const AUTHORITY_ORIGIN = 'https://login.microsoftonline.com';
const TENANT = '00000000-0000-0000-0000-00000000000b';
const AUTHORITY = `${AUTHORITY_ORIGIN}/${TENANT}`;
const API_ORIGIN = 'https://func-api-test.azurewebsites.net';
const CONFIG = { apiBaseUrl: API_ORIGIN, entra: { authority: AUTHORITY, clientId: '11111111-0000-0000-0000-000000000001', apiScope: 'api://22222222-0000-0000-0000-000000000002/access_as_user' } };

// What Entra ID publishes for the tenant, as much of it as MSAL reads.
const OPENID_CONFIGURATION = {
  issuer: `${AUTHORITY}/v2.0`,
  authorization_endpoint: `${AUTHORITY}/oauth2/v2.0/authorize`,
  token_endpoint: `${AUTHORITY}/oauth2/v2.0/token`,
  end_session_endpoint: `${AUTHORITY}/oauth2/v2.0/logout`,
  jwks_uri: `${AUTHORITY}/discovery/v2.0/keys`,
  response_modes_supported: ['query', 'fragment', 'form_post'],
};
const INSTANCE_DISCOVERY = {
  tenant_discovery_endpoint: `${AUTHORITY}/v2.0/.well-known/openid-configuration`,
  'api-version': '1.1',
  metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] }],
};

describe('the console with Entra ID sign-in', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('redirects Sign in to the configured authority with an authorization code request and a PKCE challenge', async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    const loopback = new URL(baseUrl()).host;
    const authorize: URL[] = [];
    const refused: string[] = [];
    await context.route('**/*', async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (url.host === loopback) {
        if (url.pathname === '/console-config.json') return route.fulfill({ json: CONFIG });
        if (request.resourceType() === 'document') {
          // The page with the headers the Static Web App sends (staticwebapp.config.json): connect-src names Entra ID.
          const response = await route.fetch();
          return route.fulfill({ response, headers: { ...response.headers(), ...consolePageHeaders([API_ORIGIN, AUTHORITY_ORIGIN]) } });
        }
        return route.continue();
      }
      if (url.origin === AUTHORITY_ORIGIN) {
        if (url.pathname.endsWith('/.well-known/openid-configuration')) return route.fulfill({ json: OPENID_CONFIGURATION });
        if (url.pathname === '/common/discovery/instance') return route.fulfill({ json: INSTANCE_DISCOVERY });
        if (url.pathname === `/${TENANT}/oauth2/v2.0/authorize`) {
          authorize.push(url);
          return route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Entra ID (stub)</title><h1>Entra ID (stub)</h1></html>' });
        }
      }
      refused.push(request.url());
      return route.abort();
    });

    await page.goto(`${baseUrl()}/`);
    await page.getByRole('heading', { name: 'Sign in to Daybreak' }).waitFor();
    const signIn = page.getByRole('button', { name: 'Sign in' });
    await signIn.waitFor();
    await checkView(browser, 'signed-out-entra');
    await signIn.click();
    await page.waitForURL((url) => url.origin === AUTHORITY_ORIGIN);

    expect(refused).toEqual([]);
    expect(authorize).toHaveLength(1);
    const query = authorize[0]!.searchParams;
    expect({
      client_id: query.get('client_id'),
      response_type: query.get('response_type'),
      redirect_uri: query.get('redirect_uri'),
      code_challenge_method: query.get('code_challenge_method'),
    }).toEqual({ client_id: CONFIG.entra.clientId, response_type: 'code', redirect_uri: `${baseUrl()}/`, code_challenge_method: 'S256' });
    // A SHA-256 challenge, base64url: 43 characters.
    expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(query.get('scope')!.split(' ')).toEqual(expect.arrayContaining([CONFIG.entra.apiScope, 'openid']));
  });
});
