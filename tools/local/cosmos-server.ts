/**
 * The Cosmos-protocol server (`@vercel/cosmosdb-server`) as the local stack runs it: its own CLI
 * answers every request with `connection: close`, so each request cost a new TLS handshake on
 * both sides (measured: a quarter of the local host's CPU under load went to handshakes). Here it
 * keeps connections alive, as Azure Cosmos DB does, and runs its compiled queries in linear time
 * (`linear-query.ts`). Usage: node cosmos-server.js <port> <host>
 */
import { createHttpsServer } from '@vercel/cosmosdb-server';
import Items from '@vercel/cosmosdb-server/lib/account/items';
import * as helpers from '@zeit/cosmosdb-query/lib/helpers';
import { linearAccumulators, stripUndefined } from './linear-query';

interface CompiledQuery { code: string; _code: string | null; linear?: true }
const proto = Items.prototype as unknown as { _getQuery(sql: string): CompiledQuery };
const compile = proto._getQuery;
proto._getQuery = function linearQuery(this: unknown, sql: string): CompiledQuery {
  const query = compile.call(this, sql);
  if (!query.linear) {
    // The compiled code is cached on the query (and the query per SQL text), so this runs once.
    // Code the rewrite cannot read stays as compiled (SQL the parser refuses never gets here: the server answers it 400).
    try {
      query._code = linearAccumulators(query.code);
    } catch {
      // kept as compiled
    }
    query.linear = true;
  }
  return query;
};
// The result of every page goes through this (and it through itself for nested arrays), as quadratic as the rows above.
Object.assign(helpers, { stripUndefined });

const [port, host] = process.argv.slice(2);
const server = createHttpsServer({ keepAlive: true });
// Idle keep-alive sockets outlive a client's own idle timeout, so the client closes them first.
server.keepAliveTimeout = 65_000;
server.listen(Number(port), host, () => console.log(`Cosmos-protocol server ready on ${host}:${port}`));
