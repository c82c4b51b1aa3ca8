/**
 * The web console's security headers, one definition for both places that serve it: the local host
 * (tools/local-host/http/static-site.ts) and, in Azure, the Static Web App, whose
 * staticwebapp.config.json the console build writes from these (console/vite.config.mts).
 *
 * The page holds a bearer token: scripts and styles from its own origin only, no framing, no
 * Referer; it connects to its own origin and to the origins named (the API when it is elsewhere,
 * the blob endpoint that evidence uploads PUT to, Entra ID's token endpoint); it asks for no camera,
 * microphone, location or payment, and is reached over HTTPS only.
 */
export function consolePageHeaders(connectSources: readonly string[]): Record<string, string> {
  return {
    'content-security-policy':
      `default-src 'self'; connect-src ${["'self'", ...connectSources].join(' ')}; img-src 'self' blob: data:; ` +
      "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
  };
}

/** What an Azure build of the console needs to know: where the API, the blob endpoint and Entra ID are. */
export interface AzureConsoleSettings {
  /** The API's origin, e.g. https://func-api-x.azurewebsites.net (the console calls <origin>/api/v1/…). */
  apiOrigin: string;
  /** The storage account's blob endpoint, where evidence uploads PUT to. */
  blobOrigin: string;
  /** Entra ID authority, https://login.microsoftonline.com/<tenant-id>. */
  authority: string;
  /** The console's own (SPA) app registration. */
  clientId: string;
  /** The API's delegated scope the console asks for, api://<api-app-id>/access_as_user. */
  apiScope: string;
}

/** The azd environment values an Azure build reads (main.bicep's outputs, and CONSOLE_CLIENT_ID set by hand). */
const ENV = {
  apiOrigin: 'CONSOLE_API_ORIGIN',
  blobOrigin: 'CONSOLE_BLOB_ORIGIN',
  authority: 'CONSOLE_AUTHORITY',
  clientId: 'CONSOLE_CLIENT_ID',
  apiScope: 'CONSOLE_API_SCOPE',
} as const satisfies Record<keyof AzureConsoleSettings, string>;

/**
 * The Azure settings from the build's environment: undefined for a local build (none set), an error
 * naming what is missing or malformed when only some are (a console that could not sign in is not deployed).
 */
export function azureConsoleSettings(env: Record<string, string | undefined>): AzureConsoleSettings | undefined {
  const values = Object.fromEntries(Object.entries(ENV).map(([key, name]) => [key, env[name]?.trim() ?? ''])) as Record<keyof AzureConsoleSettings, string>;
  if (Object.values(values).every((v) => v === '')) return undefined;
  const missing = Object.entries(values).filter(([, v]) => v === '').map(([key]) => ENV[key as keyof AzureConsoleSettings]);
  if (missing.length) {
    throw new Error(`An Azure build of the console needs ${missing.join(', ')} too (azd sets them from main.bicep's outputs; CONSOLE_CLIENT_ID with azd env set, docs/entra.md).`);
  }
  return {
    apiOrigin: httpsOrigin(values.apiOrigin, ENV.apiOrigin),
    blobOrigin: httpsOrigin(values.blobOrigin, ENV.blobOrigin),
    authority: httpsUrl(values.authority, ENV.authority).replace(/\/+$/, ''),
    clientId: values.clientId,
    apiScope: values.apiScope,
  };
}

/** The files an Azure build adds to dist/console: the Static Web App's configuration and the console's own. */
export function azureConsoleFiles(settings: AzureConsoleSettings): Record<string, string> {
  const connectSources = [settings.apiOrigin, settings.blobOrigin, new URL(settings.authority).origin];
  const staticWebApp = {
    // Any path without a file is the console's own (/police/events/…): index.html, so a reload works.
    navigationFallback: { rewrite: '/index.html', exclude: ['/assets/*', '/*.{json,ico,svg,png,txt}'] },
    routes: [
      // Hashed files are cached for good; the page and the configuration never, so a deployment shows at once.
      { route: '/assets/*', headers: { 'cache-control': 'public, max-age=31536000, immutable' } },
      { route: '/console-config.json', headers: { 'cache-control': 'no-cache' } },
      { route: '/index.html', headers: { 'cache-control': 'no-cache' } },
    ],
    globalHeaders: consolePageHeaders(connectSources),
  };
  const consoleConfig = {
    apiBaseUrl: settings.apiOrigin,
    entra: { authority: settings.authority, clientId: settings.clientId, apiScope: settings.apiScope },
  };
  return {
    'staticwebapp.config.json': `${JSON.stringify(staticWebApp, null, 2)}\n`,
    'console-config.json': `${JSON.stringify(consoleConfig, null, 2)}\n`,
  };
}

function httpsUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:') throw new Error(`${name} must be https: ${value}`);
  return url.href;
}

/** An origin (scheme and host, no path): a trailing slash is allowed, a path is not. */
function httpsOrigin(value: string, name: string): string {
  const url = new URL(httpsUrl(value, name));
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`${name} must be an origin (no path): ${value}`);
  return url.origin;
}
