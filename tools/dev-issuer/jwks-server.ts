import http from 'node:http';
import { devIssuerJwks, type DevIssuerKey } from './dev-issuer';

export const JWKS_PATH = '/.well-known/jwks.json';

export function jwksResponse(key: DevIssuerKey) {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
    body: JSON.stringify(devIssuerJwks(key)),
  };
}

/**
 * The development issuer's JWKS on its own port, for `npm run emulators` + `func start`,
 * where Core Tools (not our host) serves the functions.
 */
export function serveJwks(key: DevIssuerKey, port: number, host = '127.0.0.1'): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const { status, headers, body } =
      req.method === 'GET' && req.url === JWKS_PATH ? jwksResponse(key) : { status: 404, headers: {}, body: '' };
    res.writeHead(status, headers).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () =>
      resolve({ close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}
