import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Webhook delivery with a defence against server-side request forgery: a subscriber's URL must
 * not reach inside our network. The check runs at delivery, after DNS, on every resolved address,
 * and the connection is pinned to the address that was checked, so a second lookup (DNS
 * rebinding) cannot swap in a private one between the check and the connect.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
export interface ConnectRequest {
  url: URL;
  address: string;
  family: 4 | 6;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}
export type Connector = (request: ConnectRequest) => Promise<{ status: number }>;
export interface WebhookSendOptions {
  /** Local development only: allow http:// (and loopback addresses) when the host is 127.0.0.1, ::1 or localhost. */
  allowLoopbackHttp: boolean;
  resolve?: Resolver;
  connect?: Connector;
  timeoutMs?: number;
}
export type WebhookOutcome =
  | { kind: 'answered'; status: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; reason: string };

const MAX_URL_LENGTH = 2048;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Receivers' replies are not used; reading a little lets the exchange finish cleanly without letting a receiver stream at us. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

const FORBIDDEN_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including the cloud metadata endpoint 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including broadcast 255.255.255.255
  ['168.63.129.16', 32], // Azure's platform address (DNS, health probes, metadata of the host)
];
// IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) addresses are judged by their embedded IPv4 instead.
const FORBIDDEN_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['::', 96], // IPv4-compatible (deprecated): ::a.b.c.d
  ['::ffff:0:0:0', 96], // IPv4-translated
  ['64:ff9b:1::', 48], // local-use NAT64
  ['2002::', 16], // 6to4: embeds an IPv4 address, often a private one
  ['fec0::', 10], // site-local (deprecated)
];

const forbiddenV4 = blockList(FORBIDDEN_V4, 'ipv4');
const forbiddenV6 = blockList(FORBIDDEN_V6, 'ipv6');
const loopbackV4 = blockList([['127.0.0.0', 8]], 'ipv4');

function blockList(subnets: Array<[string, number]>, type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, type);
  return list;
}

/** An address as the family it really reaches: an IPv6 address that embeds an IPv4 one reaches that IPv4 one. */
function effectiveAddress(address: string): { address: string; family: 4 | 6 } | undefined {
  const bare = address.replace(/%.*$/, ''); // a zone id names an interface, not a different address
  const family = isIP(bare);
  if (family === 4) return { address: bare, family: 4 };
  if (family !== 6) return undefined;
  const embedded = embeddedIPv4(bare);
  return embedded ? { address: embedded, family: 4 } : { address: bare, family: 6 };
}

function embeddedIPv4(v6: string): string | undefined {
  const groups = ipv6Groups(v6);
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const mapped = zeros(0, 5) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !nat64) return undefined;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address that isIP has already accepted. */
function ipv6Groups(v6: string): number[] {
  const withoutDotted = v6.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_match, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', tail] = withoutDotted.split('::');
  if (tail === undefined) return parse(head);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** Whether an IP address (v4 or v6 text) is one a webhook may never reach: exported for tests. */
export function isForbiddenAddress(address: string): boolean {
  const effective = effectiveAddress(address);
  if (!effective) return true; // not an address we can judge: fail closed
  return effective.family === 4
    ? forbiddenV4.check(effective.address, 'ipv4')
    : forbiddenV6.check(effective.address, 'ipv6');
}

function isLoopbackAddress(address: string): boolean {
  const effective = effectiveAddress(address);
  if (!effective) return false;
  return effective.family === 4 ? loopbackV4.check(effective.address, 'ipv4') : ipv6Groups(effective.address).join() === '0,0,0,0,0,0,0,1';
}

/** Local development reaches its own receivers on loopback; every other private range stays closed. */
function addressProblem(address: string, allowLoopbackHttp: boolean): string | null {
  if (!isForbiddenAddress(address)) return null;
  if (allowLoopbackHttp && isLoopbackAddress(address)) return null;
  return `${address} is a private, loopback, link-local or reserved address`;
}

/** URL hostnames keep IPv6 literals in brackets; sockets and address checks want them bare. */
function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Syntactic check when a subscription is created: null when acceptable, else a human-readable reason. No DNS. */
export function webhookUrlProblem(url: string, allowLoopbackHttp: boolean): string | null {
  if (url.length > MAX_URL_LENGTH) return `the webhook URL is longer than ${MAX_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the webhook URL is not a valid URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'the webhook URL must not contain a username or password';
  const host = bareHostname(parsed);
  const loopbackHttp = parsed.protocol === 'http:' && allowLoopbackHttp && LOOPBACK_HOSTS.has(host);
  if (parsed.protocol !== 'https:' && !loopbackHttp) return 'the webhook URL must use https';
  // An IP literal needs no DNS, so it can be judged now rather than only at delivery.
  return isIP(host) === 0 ? null : addressProblem(host, allowLoopbackHttp);
}

const refused = (reason: string): WebhookOutcome => ({ kind: 'refused', reason });
const failed = (reason: string): WebhookOutcome => ({ kind: 'failed', reason });

class WebhookTimeout extends Error {
  constructor() {
    super('timeout');
  }
}

/** Races work against the deadline; the loser is left to settle on its own (race has already handled its rejection). */
async function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new WebhookTimeout()), Math.max(0, timeoutMs));
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(error: unknown, stage: string): string {
  if (error instanceof WebhookTimeout) return 'timeout';
  return `${stage}: ${error instanceof Error ? error.message : String(error)}`;
}

async function resolveWithSystem(hostname: string): Promise<ResolvedAddress[]> {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/** Caller headers plus the body's framing; a caller-supplied Host or Content-Length could contradict the URL or the body. */
function requestHeaders(headers: Record<string, string>, body: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!['host', 'content-length'].includes(name.toLowerCase())) result[name] = value;
  }
  if (!Object.keys(result).some((name) => name.toLowerCase() === 'content-type')) result['content-type'] = 'application/json';
  result['content-length'] = String(Buffer.byteLength(body));
  return result;
}

/** Hands the socket the checked address whatever it asks for: net.connect asks for a list when it races families. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * POSTs over node:http(s) to the pinned address. The URL's hostname stays the request's host, so
 * the Host header, TLS SNI and certificate checks all use the name the subscriber gave.
 * agent: false: no pooled socket (which might have been opened to another address) and nothing kept alive.
 */
function connectPinned(request: ConnectRequest): Promise<{ status: number }> {
  const client = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const outgoing = client.request(
      request.url,
      { method: 'POST', headers: request.headers, agent: false, family: request.family, lookup: pinnedLookup(request.address, request.family) },
      (response) => {
        status = response.statusCode ?? 0;
        let received = 0;
        const answered = () => {
          clearTimeout(timer);
          resolve({ status: status ?? 0 });
        };
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= MAX_RESPONSE_BYTES) {
            response.destroy();
            answered();
          }
        });
        // Once the status is in, a body cut short is still an answer.
        response.on('end', answered);
        response.on('close', answered);
        response.on('error', answered);
      },
    );
    const timer = setTimeout(() => {
      if (status === undefined) outgoing.destroy(new WebhookTimeout());
      else {
        outgoing.destroy();
        resolve({ status });
      }
    }, request.timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(request.body);
  });
}

async function addressesOf(host: string, resolver: Resolver, timeoutMs: number): Promise<ResolvedAddress[] | WebhookOutcome> {
  const literal = isIP(host);
  if (literal !== 0) return [{ address: host, family: literal === 6 ? 6 : 4 }];
  try {
    return await within(resolver(host), timeoutMs);
  } catch (error) {
    return failed(reasonOf(error, 'dns'));
  }
}

/** Checks, resolves, checks every resolved address, then connects to a checked address only. */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: WebhookSendOptions,
): Promise<WebhookOutcome> {
  const problem = webhookUrlProblem(url, options.allowLoopbackHttp);
  if (problem !== null) return refused(problem);
  const target = new URL(url);
  const host = bareHostname(target);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

  const addresses = await addressesOf(host, options.resolve ?? resolveWithSystem, deadline - Date.now());
  if (!Array.isArray(addresses)) return addresses;
  if (addresses.length === 0) return failed(`dns: no addresses for ${host}`);
  // Refuse on any bad answer, not just the first: a rebinding resolver can mix public and private ones.
  for (const { address } of addresses) {
    const addressIssue = addressProblem(address, options.allowLoopbackHttp);
    if (addressIssue !== null) return refused(`${host} resolves to ${addressIssue}`);
  }
  const pinned = addresses[0]!.address;
  // Plain http is a local-development allowance for loopback receivers only, whatever localhost resolves to.
  if (target.protocol === 'http:' && !isLoopbackAddress(pinned)) return refused(`http is only allowed to loopback, and ${host} resolves to ${pinned}`);

  const request: ConnectRequest = {
    url: target,
    address: pinned,
    family: isIP(pinned) === 6 ? 6 : 4,
    headers: requestHeaders(headers, body),
    body,
    timeoutMs: Math.max(0, deadline - Date.now()),
  };
  try {
    const { status } = await within((options.connect ?? connectPinned)(request), request.timeoutMs);
    return { kind: 'answered', status };
  } catch (error) {
    return failed(reasonOf(error, 'connect'));
  }
}
