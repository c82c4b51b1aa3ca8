/**
 * The Cosmos-protocol server (`@vercel/cosmosdb-server`) as the local stack runs it: its own CLI
 * answers every request with `connection: close`, so each request cost a new TLS handshake on
 * both sides (measured: a quarter of the local host's CPU under load went to handshakes). Here it
 * keeps connections alive, as Azure Cosmos DB does. Usage: node cosmos-server.js <port> <host>
 */
import { createHttpsServer } from '@vercel/cosmosdb-server';

const [port, host] = process.argv.slice(2);
const server = createHttpsServer({ keepAlive: true });
// Idle keep-alive sockets outlive a client's own idle timeout, so the client closes them first.
server.keepAliveTimeout = 65_000;
server.listen(Number(port), host, () => console.log(`Cosmos-protocol server ready on ${host}:${port}`));
