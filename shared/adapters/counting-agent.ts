import type { ClientRequest } from 'node:http';
import https from 'node:https';

/** Cosmos DB round trips (and connections opened) by this process through the local agent: what tests and benchmarks count. */
export const cosmosRoundTrips = { total: 0, queries: 0, connections: 0 };

/**
 * The HTTPS agent for the local Cosmos-protocol server: accepts its self-signed certificate
 * and counts each request (and which were queries), so "intake makes N point operations and
 * no query" is a measured fact, not a claim.
 */
export class CountingAgent extends https.Agent {
  constructor(maxSockets: number) {
    super({ rejectUnauthorized: false, keepAlive: true, minVersion: 'TLSv1.2', maxSockets });
  }

  // Each new connection (a TLS handshake): what the bound on sockets is checked by.
  override createConnection(...args: Parameters<https.Agent['createConnection']>): ReturnType<https.Agent['createConnection']> {
    cosmosRoundTrips.connections += 1;
    return (https.Agent.prototype as unknown as { createConnection: https.Agent['createConnection'] }).createConnection.apply(this, args);
  }

  // addRequest is how Node hands every request to an agent; counting there sees them all.
  addRequest(request: ClientRequest, options: unknown): void {
    cosmosRoundTrips.total += 1;
    if (String(request.getHeader('x-ms-documentdb-isquery')) === 'true') cosmosRoundTrips.queries += 1;
    (https.Agent.prototype as unknown as { addRequest(r: ClientRequest, o: unknown): void }).addRequest.call(this, request, options);
  }
}
