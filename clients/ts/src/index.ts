/**
 * A typed client for Daybreak's API, for integrators: openapi-fetch over the types generated from
 * the service's own OpenAPI document (schema.d.ts). Every path, parameter, header and body is
 * checked by the TypeScript compiler against the contract.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type DaybreakClient = Client<paths>;
export type Problem = components['schemas']['Problem'];

/** A client for `baseUrl` (e.g. https://<app>.azurewebsites.net), sending `token` as its bearer token. */
export function daybreakClient(baseUrl: string, token: string, fetchImpl?: typeof fetch): DaybreakClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` }, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}
