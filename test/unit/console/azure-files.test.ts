import { azureConsoleFiles, azureConsoleSettings, consolePageHeaders } from '../../../tools/console/page-headers';
import { parseConfig } from '../../../console/src/config';

/** What an Azure build of the console adds to dist/console (tools/console/page-headers.ts, through console/vite.config.mts). */
describe('console: the Azure build’s files', () => {
  const env = {
    CONSOLE_API_ORIGIN: 'https://func-api-x.azurewebsites.net',
    CONSOLE_BLOB_ORIGIN: 'https://stx.blob.core.windows.net/',
    CONSOLE_AUTHORITY: 'https://login.microsoftonline.com/00000000-0000-0000-0000-00000000000b',
    CONSOLE_CLIENT_ID: '11111111-0000-0000-0000-000000000001',
    CONSOLE_API_SCOPE: 'api://22222222-0000-0000-0000-000000000002/access_as_user',
  };
  const files = azureConsoleFiles(azureConsoleSettings(env)!);
  const swa = JSON.parse(files['staticwebapp.config.json']!);

  it('a local build (no CONSOLE_* values) adds nothing: the local host answers /console-config.json', () => {
    expect(azureConsoleSettings({ PATH: '/usr/bin' })).toBeUndefined();
  });

  it('refuses a half-configured build, naming what is missing', () => {
    expect(() => azureConsoleSettings({ ...env, CONSOLE_CLIENT_ID: '' })).toThrow(/CONSOLE_CLIENT_ID/);
    expect(() => azureConsoleSettings({ ...env, CONSOLE_API_ORIGIN: 'http://func.example' })).toThrow(/CONSOLE_API_ORIGIN must be https/);
    expect(() => azureConsoleSettings({ ...env, CONSOLE_API_ORIGIN: 'https://func.example/api' })).toThrow(/origin/);
  });

  it('the page’s headers: CSP connecting only to itself, the API, the blob endpoint and Entra ID; never framed; nosniff; no Referer; no device permissions; HTTPS only', () => {
    expect(swa.globalHeaders).toEqual({
      'content-security-policy':
        "default-src 'self'; connect-src 'self' https://func-api-x.azurewebsites.net https://stx.blob.core.windows.net https://login.microsoftonline.com; " +
        "img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
    });
    // The same policy the local host serves, with the Azure origins.
    expect(swa.globalHeaders).toEqual(consolePageHeaders(['https://func-api-x.azurewebsites.net', 'https://stx.blob.core.windows.net', 'https://login.microsoftonline.com']));
  });

  it('answers index.html for the console’s own paths, never for a file that is missing', () => {
    expect(swa.navigationFallback).toEqual({ rewrite: '/index.html', exclude: ['/assets/*', '/*.{json,ico,svg,png,txt}'] });
    expect(swa.routes).toContainEqual({ route: '/console-config.json', headers: { 'cache-control': 'no-cache' } });
  });

  it('writes a /console-config.json the console reads as Entra ID sign-in with the API cross-origin', () => {
    expect(parseConfig(JSON.parse(files['console-config.json']!), 'https://stapp-x.azurestaticapps.net')).toEqual({
      signIn: { kind: 'entra', authority: env.CONSOLE_AUTHORITY, clientId: env.CONSOLE_CLIENT_ID, apiScope: env.CONSOLE_API_SCOPE },
      apiBaseUrl: env.CONSOLE_API_ORIGIN,
    });
    expect(files['console-config.json']).not.toContain('signInUrl');
  });
});
