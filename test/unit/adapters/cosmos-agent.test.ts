import https from 'node:https';
import { COSMOS_SOCKETS, cosmosAgent } from '../../../shared/adapters/azure-clients';
import { CountingAgent } from '../../../shared/adapters/counting-agent';

/** The agent the Cosmos DB client is given: bounded connections in Azure as locally. */
describe('cosmosAgent', () => {
  const options = (agent: https.Agent | undefined) => (agent as unknown as { options: https.AgentOptions }).options;

  it('in Azure: keep-alive, TLS 1.2 at least, and at most COSMOS_SOCKETS connections per endpoint', () => {
    const agent = cosmosAgent({ COSMOS_ENDPOINT: 'https://daybreak.documents.azure.com:443/', COSMOS_LOCAL_SELF_SIGNED_TLS: false });
    expect(agent).toBeInstanceOf(https.Agent);
    expect(agent).not.toBeInstanceOf(CountingAgent);
    expect(agent!.maxSockets).toBe(COSMOS_SOCKETS);
    expect(options(agent)).toMatchObject({ keepAlive: true, minVersion: 'TLSv1.2' });
    expect(options(agent).rejectUnauthorized).not.toBe(false);
    expect(COSMOS_SOCKETS).toBe(64);
  });

  it('locally: the counting agent, with the same bound', () => {
    const agent = cosmosAgent({ COSMOS_ENDPOINT: 'https://127.0.0.1:8081/', COSMOS_LOCAL_SELF_SIGNED_TLS: true });
    expect(agent).toBeInstanceOf(CountingAgent);
    expect(agent!.maxSockets).toBe(COSMOS_SOCKETS);
    expect(options(agent)).toMatchObject({ keepAlive: true, minVersion: 'TLSv1.2', rejectUnauthorized: false });
  });

  it('none for a plain-HTTP endpoint, which the SDK serves only with its own agent', () => {
    expect(cosmosAgent({ COSMOS_ENDPOINT: 'http://127.0.0.1:8081/', COSMOS_LOCAL_SELF_SIGNED_TLS: false })).toBeUndefined();
  });
});
