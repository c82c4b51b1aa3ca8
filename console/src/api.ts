import { daybreakClient, type DaybreakClient, type Problem } from '../../clients/ts/src/index';

/** The public API only, through the typed client generated from the service's OpenAPI document. */
export const apiFor = (token: string): DaybreakClient => daybreakClient(location.origin, token);

/** One line for a failed call: the problem's code and detail, or the status. */
export function problemText(error: Problem | undefined, response: Response): string {
  if (error?.code) return `${error.title} (${error.code}): ${error.detail}`;
  return `The service answered ${response.status} ${response.statusText}.`;
}
