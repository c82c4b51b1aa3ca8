import { daybreakClient, type DaybreakClient, type Problem } from '../../clients/ts/src/index';
import { endSession, freshToken } from './session';

let baseUrl = location.origin;

/** The API's origin from /console-config.json (this page's own locally; the Function App's in Azure). The app sets it before any view calls. */
export function setApiBaseUrl(url: string): void {
  baseUrl = url;
}

/**
 * The public API only, through the typed client generated from the service's OpenAPI document. Before
 * each call the token is asked for again (MSAL's acquireTokenSilent in Azure: renewed near expiry). A 401
 * from any call ends the session (the token expired or was refused): the app then offers sign-in again.
 */
export function apiFor(token: string): DaybreakClient {
  const client = daybreakClient(baseUrl, token);
  client.use({
    async onRequest({ request }) {
      const current = await freshToken();
      if (current) request.headers.set('authorization', `Bearer ${current}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) endSession();
      return undefined;
    },
  });
  return client;
}

export type { Problem };

/** One line for a failed call: the problem's code and detail, or the status. */
export function problemText(error: Problem | undefined, response: Response): string {
  if (error?.code) return `${error.title} (${error.code}): ${error.detail}`;
  return `The service answered ${response.status} ${response.statusText}.`;
}

/** A problem's errors by path ('people.0.clothing'), the first for each path, to show beside its field; an error naming no path is under ''. */
export function problemFieldErrors(error: Problem | undefined): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const { path, message } of error?.errors ?? []) byPath[path || ''] ??= message;
  return byPath;
}
