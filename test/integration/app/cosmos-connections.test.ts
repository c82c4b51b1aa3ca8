import { randomUUID } from 'node:crypto';
import { readIfExists } from '../../../shared/adapters/cosmos-containers';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';

/**
 * The app's Cosmos DB client, in process against the real Cosmos-protocol server: a burst of
 * requests (a re-match's messages, an export) shares a bounded pool of connections instead of
 * opening one per request in flight, each a TLS handshake on both sides.
 */
describe('Cosmos DB connections', () => {
  it('a burst of 500 requests at once opens at most 64 connections, and the next burst none', async () => {
    const org = `conn-${randomUUID().slice(0, 8)}`;
    const burst = () => Promise.all(Array.from({ length: 500 }, (_, i) => readIfExists('profiles', org, `absent-${i}`)));
    // One request first: the client's own first reads (the account, the container) are not the burst's.
    await readIfExists('profiles', org, 'absent');
    const before = { connections: cosmosRoundTrips.connections, total: cosmosRoundTrips.total };
    expect(await burst()).toEqual(Array.from({ length: 500 }, () => undefined));
    expect(cosmosRoundTrips.total - before.total).toBe(500);
    expect(cosmosRoundTrips.connections - before.connections).toBeLessThanOrEqual(64);
    const kept = cosmosRoundTrips.connections;
    await burst();
    expect(cosmosRoundTrips.connections).toBe(kept);
  });
});
