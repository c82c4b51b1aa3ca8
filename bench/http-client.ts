import http from 'node:http';

/**
 * The benchmarks' HTTP client: node:http on keep-alive connections. The load generator shares
 * the machine's cores with the host and both emulators, so it should cost as little as it can:
 * measured here, fetch (undici) spends 0.5–1.0 ms of CPU per request and this 0.25–0.4 ms.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Reply {
  status: number;
  text: string;
}

/**
 * One request. A kept-alive connection the host closed as idle just as this request went out on it
 * (a benchmark after one that waited seconds for the matcher: "socket hang up" in CI61) is sent
 * again once on a new connection, as Node's documentation advises for `reusedSocket`: the host
 * never read it.
 */
export function request(url: string, method = 'GET', headers: Record<string, string> = {}, body?: string, again = true): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (again && req.reusedSocket && error.code === 'ECONNRESET') resolve(request(url, method, headers, body, false));
      else reject(error);
    });
    req.end(body);
  });
}
