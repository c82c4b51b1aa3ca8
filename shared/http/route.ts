import '../telemetry/start';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '../adapters/functions-runtime';
import { z } from 'zod';
import type { Principal } from '../domain/principal';
import { authenticate } from '../auth/authenticate';
import { readJsonBody } from './json-body';
import { requestLogger, type Logger } from '../telemetry/logger';
import { openApiRegistry, ProblemSchema } from './openapi-registry';
import { problemResponse } from './problem';
import { replyChecksOn, replyProblems } from './reply-check';
import { requestIdFrom } from './request-id';
import { streamSinkFor, watchStreamResponses, type StreamSink } from './stream-backpressure';
import { parseWith } from '../domain/validation';
import { assertNoSensitiveFields } from '../domain/screening';
import { permissionFor, type Action } from '../domain/authorization';
import { GoneError, NotFoundError, ValidationError } from '../domain/errors';
import { traced } from '../telemetry/tracing';
import { CaseReferenceSchema, LegalBasisSchema, type Purpose } from '../domain/police-purpose';
import { PURPOSE_HEADERS, purposeReader } from './purpose-headers';
import { admitCaller, recordPoliceUse, type PoliceCaller } from '../orgs/agency-gate';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type AnyObject = z.ZodObject<z.ZodRawShape>;
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface Reply {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Sent as is, chunk by chunk, for bodies too large to hold (exports): pulled as the
   * client takes it. Set its content type in `headers` (see `streamed`). Once the first
   * byte is out the status cannot change: an error while streaming ends the response
   * abruptly (the client sees a truncated transfer) and is logged with the request id.
   */
  stream?: AsyncIterable<Uint8Array>;
  headers?: Record<string, string>;
}

export interface RouteContext<P, Q, B> {
  principal: Principal;
  /** A police officer's stated legal basis and case reference, on routes that read retailer data. */
  purpose?: Purpose;
  params: P;
  query: Q;
  body: B;
  /** The parsed JSON before validation (for idempotency hashing and merge patches). */
  rawBody: unknown;
  request: HttpRequest;
  requestId: string;
  log: Logger;
}

type ResponseSpec = { description: string; schema?: z.ZodType; contentTypes?: string[]; headers?: ResponseHeader[] };
type Responses = Record<number, ResponseSpec>;
type BodyOf<R> = R extends { schema: infer S extends z.ZodType } ? z.input<S> : never;
/**
 * What a handler may answer: one of the statuses its route documents, with a body of that status's
 * schema. So a use case's result must be the type of the schema the route declares (issue 23), or
 * the handler does not compile.
 */
export type ReplyFor<RS extends Responses> = {
  [K in keyof RS & number]: { status: K; body?: BodyOf<RS[K]>; stream?: AsyncIterable<Uint8Array>; headers?: Record<string, string> };
}[keyof RS & number];

export interface RouteSpec<PS extends AnyObject | undefined, QS extends AnyObject | undefined, BS extends z.ZodType | undefined, RS extends Responses = Responses> {
  /** Function name; also the OpenAPI operationId. */
  name: string;
  method: Method;
  /** Route under the /api prefix, Functions syntax: `v1/stores/{storeId}`. */
  route: string;
  summary: string;
  tag: string;
  /** Anonymous routes skip authentication (health, OpenAPI). */
  anonymous?: boolean;
  /** Left out of the OpenAPI document (a retired form that only says where it moved). */
  undocumented?: boolean;
  /**
   * Lists or reads retailer data: a police officer states why (X-Legal-Basis, X-Case-Reference,
   * PRODUCT §5b) or gets 400 PURPOSE_REQUIRED before anything is read.
   */
  purpose?: boolean;
  /** The route creates what its id names, the client choosing the id (PUT /stores/{storeId}): a malformed id is then a 400, not the 404 of an id that names nothing. */
  createsAtId?: boolean;
  params?: PS;
  query?: QS;
  /** Query parameters retired because they carried personal values (PRODUCT §10c), each with the form that replaced it: 410 MOVED, as a retired route. */
  movedQuery?: Record<string, string>;
  body?: BS;
  /** A request body a client could send, shown in the document; it must pass `body` (checked when the route is registered). */
  example?: unknown;
  /** `contentTypes` documents a streamed body's media types instead of a JSON schema; `headers` the response headers it sets. */
  responses: RS;
  /**
   * The row of the authorization table (domain/authorization.ts) the route's use case checks:
   * documented as `x-roles`, `x-mfa` and `x-org-type` so a client knows before it asks.
   */
  permission?: Action;
  /** The problem codes of a 409 this route answers (documented; a route that changes state documents 409 anyway). */
  conflicts?: string[];
  /** Request headers the route reads: If-Match (optimistic concurrency: 428 without, 412 when stale), or optionally (412 when stale), Idempotency-Key. */
  requestHeaders?: ('if-match' | 'if-match-optional' | 'idempotency-key')[];
  handler(ctx: RouteContext<Infer<PS>, Infer<QS>, Infer<BS>>): Promise<ReplyFor<RS>>;
}

/** Documented on routes that read retailer data; required of police officers (checked by admitCaller). */
const PurposeHeadersSchema = z.object({
  [PURPOSE_HEADERS.legalBasis]: LegalBasisSchema.optional().meta({ description: 'Required of police officers: why this read is made (PRODUCT §5b).' }),
  [PURPOSE_HEADERS.caseReference]: CaseReferenceSchema.optional().meta({ description: 'Required of police officers: the case this read is for.' }),
});

const ANONYMOUS: Principal = { sub: 'anonymous', orgId: null, roles: [], stores: null, mfa: false };

/**
 * Registers one HTTP function and documents it in OpenAPI from the same zod schemas that
 * validate it. The wrapper is the HTTP edge: request id on every response, authentication,
 * body/query/route validation, and every error mapped by problemResponse().
 */
export function httpRoute<PS extends AnyObject | undefined, QS extends AnyObject | undefined, BS extends z.ZodType | undefined, const RS extends Responses>(
  spec: RouteSpec<PS, QS, BS, RS>,
): void {
  enableHttpStreaming();
  // The handler's reply type has done its work at compile time; inside, every route is alike.
  const route = spec as unknown as RouteSpec<PS, QS, BS>;
  app.http(spec.name, {
    route: spec.route,
    methods: [spec.method],
    authLevel: 'anonymous',
    handler: (request, context) => handle(route, request, context),
  });
  if (!spec.undocumented) document(route as RouteSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined>);
}

/**
 * The catch-all: any path no other function serves answers a problem+json 404, not the host's
 * page (the runtime tries literal routes before a catch-all).
 */
export function catchAllRoute(name: string): void {
  app.http(name, {
    route: '{*path}',
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    authLevel: 'anonymous',
    handler: async (request, context) => {
      const requestId = requestIdFrom(request.headers.get('x-request-id'));
      const response = problemResponse(new NotFoundError('No such route.'), requestId, requestLogger(context, requestId));
      return { ...response, headers: { ...edgeHeaders(true), ...(response.headers as Record<string, string> | undefined) } };
    },
  });
}

/**
 * A retired route (PRODUCT §10c: no personal value in a URL): 410 MOVED naming the new form,
 * before anything is authenticated, parsed or logged beyond the route template.
 */
export function movedRoute(spec: { name: string; method: Method; route: string; to: string }): void {
  httpRoute({
    ...spec,
    summary: `Moved to ${spec.to}`,
    tag: 'Moved',
    anonymous: true,
    undocumented: true,
    responses: {},
    handler: async () => {
      throw new GoneError(`This form put personal values in the URL and is retired: use ${spec.to} with the values in the JSON body.`);
    },
  });
}


/** Each request in a span of its own, with its request id, route and status (the same request id as every log line of it). */
function handle<PS extends AnyObject | undefined, QS extends AnyObject | undefined, BS extends z.ZodType | undefined>(
  spec: RouteSpec<PS, QS, BS>,
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const requestId = requestIdFrom(request.headers.get('x-request-id'));
  const attributes = { 'daybreak.request_id': requestId, 'http.route': `/api/${spec.route}`, 'http.request.method': spec.method };
  return traced(`${spec.method} /api/${spec.route}`, attributes, async (span) => {
    const response = await answer(spec, request, context, requestId);
    span.setAttribute('http.response.status_code', response.status ?? 200);
    return { ...response, headers: { ...edgeHeaders(spec.anonymous === true), ...(response.headers as Record<string, string> | undefined) } };
  });
}

/**
 * On every answer (a route may set its own cache policy): no content sniffing, HTTPS only for a
 * year, and nothing a caller was authorised to read kept by a browser or a cache on the way.
 */
function edgeHeaders(anonymous: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    ...(anonymous ? {} : { 'cache-control': 'no-store' }),
  };
}

async function answer<PS extends AnyObject | undefined, QS extends AnyObject | undefined, BS extends z.ZodType | undefined>(
  spec: RouteSpec<PS, QS, BS>,
  request: HttpRequest,
  context: InvocationContext,
  requestId: string,
): Promise<HttpResponseInit> {
  const log = requestLogger(context, requestId);
  const started = Date.now();
  let status = 500;
  /** A police officer who stated why: what they asked for is recorded in their agency's chain, whatever the answer. */
  let police: PoliceCaller | undefined;
  try {
    const moved = Object.keys(spec.movedQuery ?? {}).find((name) => request.query.has(name));
    if (moved) throw new GoneError(`The ${moved} parameter put personal values in the URL and is retired: use ${spec.movedQuery![moved]} with the value in the JSON body.`);
    const principal = spec.anonymous ? ANONYMOUS : await authenticate(request.headers.get('authorization'));
    const purpose = spec.anonymous ? undefined : await admitCaller({ principal, requestId }, spec, purposeReader((name) => request.headers.get(name)));
    if (purpose) police = { principal, requestId, purpose };
    const params = spec.params ? routeParams(spec, request.params) : undefined;
    const query = spec.query ? parseWith(spec.query, singleValued(request.query), 'query') : undefined;
    const rawBody = spec.body ? await readJsonBody(request) : undefined;
    // A field for a sensitive characteristic is refused as such in any body (PRODUCT §2), before the schema's "unknown field".
    if (spec.body) assertNoSensitiveFields(rawBody);
    const body = spec.body ? parseWith(spec.body, rawBody, 'body') : undefined;
    const reply = await spec.handler({
      principal,
      ...(purpose ? { purpose } : {}),
      params: params as Infer<PS>,
      query: query as Infer<QS>,
      body: body as Infer<BS>,
      rawBody,
      request,
      requestId,
      log,
    });
    status = reply.status;
    if (replyChecksOn()) checkReply(spec, reply);
    if (police) await recordPoliceUseOrLog(police, spec.name, status, log);
    if (reply.stream) {
      const body = paced(reply.stream, streamSinkFor(context.invocationId), log);
      return { status: reply.status, headers: { 'x-request-id': requestId, ...reply.headers }, body };
    }
    return {
      status: reply.status,
      headers: {
        'x-request-id': requestId,
        ...(reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        ...reply.headers,
      },
      body: reply.body === undefined ? undefined : JSON.stringify(reply.body, withoutStoreFields),
    };
  } catch (error) {
    const response = problemResponse(error, requestId, log);
    status = response.status ?? 500;
    if (police) await recordPoliceUseOrLog(police, spec.name, status, log);
    return response;
  } finally {
    log.info('request', { method: request.method, route: spec.route, status, ms: Date.now() - started });
  }
}

/**
 * The route's ids. An id that could never have been issued names nothing: 404, as one that does
 * not exist (PRODUCT §1), except where the route creates the resource at an id the client chose,
 * and then the id is the client's input to correct (400).
 */
function routeParams<PS extends AnyObject>(spec: { createsAtId?: boolean; params?: PS }, raw: Record<string, string>): z.infer<PS> {
  if (spec.createsAtId) return parseWith(spec.params!, raw, 'route');
  const parsed = spec.params!.safeParse(raw);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}

type ResponseHeader = 'etag' | 'location' | 'retry-after';
type HeaderObject = { description: string; required?: boolean; schema: { type: 'string' } };

const RESPONSE_HEADERS: Record<ResponseHeader | 'x-request-id', HeaderObject> = {
  'x-request-id': { description: 'The request id, on every response (give it when you report a problem).', required: true, schema: { type: 'string' } },
  etag: { description: 'The version of the resource: send it back as If-Match to change it.', schema: { type: 'string' } },
  location: { description: 'Where the resource created (or the result) is.', schema: { type: 'string' } },
  'retry-after': { description: 'Seconds to wait before trying again.', schema: { type: 'string' } },
};

const REQUEST_HEADERS = z.object({
  'if-match': z.string().max(256).optional().meta({ description: 'The ETag you read: the change applies only to that version (428 without it, 412 when it is stale).' }),
  'if-match-optional': z.string().max(256).optional().meta({ description: 'Optional: the ETag you read, so that the change applies only to that version (412 when it is stale).' }),
  'idempotency-key': z.string().regex(/^[\x21-\x7e]{1,128}$/).optional().meta({ description: 'Up to 128 visible ASCII characters: a retry with the same key and body within 24 h gets the first answer.' }),
});

/** Why each error status is answered; which a route may answer follows from what it takes. */
const ERRORS: Record<number, string> = {
  400: 'Bad request: malformed JSON, a field, parameter or header that fails validation (problem+json with errors[].path)',
  401: 'No valid bearer token',
  403: 'The role, organisation type or MFA does not allow this (FORBIDDEN, MFA_REQUIRED, AGENCY_NOT_ACTIVE)',
  404: 'No such resource, or one the caller may not see',
  409: 'A conflict with the current state (e.g. IDEMPOTENCY_CONFLICT, ORG_EXISTS)',
  410: 'A retired parameter that put personal values in the URL (MOVED): the detail names the form that replaced it; or, for a retry under an Idempotency-Key, what the first request created has since been deleted (RESOURCE_DELETED)',
  412: 'If-Match names a version that is no longer current: read again',
  413: 'The body is larger than allowed',
  415: 'The body is not application/json',
  422: 'The content is refused (e.g. SENSITIVE_TEXT)',
  428: 'If-Match is required',
  503: 'A transient store or storage failure: retry after Retry-After',
};

function errorStatuses(spec: RouteSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined>): number[] {
  const statuses = [400, 404, 503];
  if (!spec.anonymous) statuses.push(401, 403);
  if (spec.method !== 'GET' || spec.conflicts) statuses.push(409);
  if (spec.body) statuses.push(413, 415, 422);
  if (spec.requestHeaders?.includes('if-match')) statuses.push(412, 428);
  if (spec.requestHeaders?.includes('if-match-optional')) statuses.push(412);
  if (spec.movedQuery || spec.requestHeaders?.includes('idempotency-key')) statuses.push(410);
  return statuses.sort((a, b) => a - b);
}

const headersOf = (names: (keyof typeof RESPONSE_HEADERS)[]) => Object.fromEntries(names.map((n) => [n, RESPONSE_HEADERS[n]]));

function shortTitle(summary: string): string {
  const head = summary.split(/: | \(|; /)[0]!.trim();
  return head.length <= 72 ? head : `${head.slice(0, 71).trimEnd()}…`;
}

/**
 * The agency's record of what its officer asked for, whatever the answer. After the answer is
 * decided and the owners' chains already hold what was read: a failure here must not turn a
 * read (or a message posted) into an error the client retries, so it is logged, not thrown.
 */
async function recordPoliceUseOrLog(police: PoliceCaller, route: string, status: number, log: Logger): Promise<void> {
  await recordPoliceUse(police, route, status).catch((e: unknown) =>
    log.error('A police request could not be recorded in its agency chain', { route, status, error: e instanceof Error ? e.message : String(e) }),
  );
}

/** Test stacks: a reply that is not what the document says is a bug (500, logged with what differs). */
function checkReply(spec: RouteSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined>, reply: Reply): void {
  const schema = spec.responses[reply.status]?.schema;
  if (reply.stream) return;
  if (!schema && reply.body !== undefined) throw new Error(`${spec.name} answered ${reply.status} with a body its document does not describe.`);
  if (!schema) return;
  const problems = replyProblems(schema, JSON.parse(JSON.stringify(reply.body, withoutStoreFields)));
  if (problems.length) throw new Error(`${spec.name} ${reply.status} does not match its documented schema: ${problems.slice(0, 5).join('; ')}`);
}

function document(spec: RouteSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined>): void {
  const problem = { 'application/problem+json': { schema: ProblemSchema } };
  const responses: Record<string, { description: string; headers?: Record<string, HeaderObject>; content?: Record<string, { schema: z.ZodType }> }> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const content = r.contentTypes
      ? Object.fromEntries(r.contentTypes.map((type) => [type, { schema: z.string() }]))
      : r.schema
        ? { 'application/json': { schema: r.schema } }
        : undefined;
    const headers = headersOf(['x-request-id', ...(r.headers ?? [])]);
    responses[status] = { description: r.description, headers, ...(content ? { content } : {}) };
  }
  for (const status of errorStatuses(spec)) {
    const description = status === 409 && spec.conflicts ? `A conflict with the current state: ${spec.conflicts.join(', ')}` : ERRORS[status]!;
    responses[status] ??= { description, headers: headersOf(status === 503 ? ['x-request-id', 'retry-after'] : ['x-request-id']), content: problem };
  }
  const requestHeaders = spec.requestHeaders?.length || spec.purpose
    ? z.object({
        ...(spec.purpose ? PurposeHeadersSchema.shape : {}),
        ...Object.fromEntries((spec.requestHeaders ?? []).map((h) => [h === 'if-match-optional' ? 'if-match' : h, REQUEST_HEADERS.shape[h]])),
      })
    : undefined;
  openApiRegistry.registerPath({
    method: spec.method.toLowerCase() as Lowercase<Method>,
    path: `/api/${spec.route}`,
    operationId: spec.name,
    // A short title for menus (up to the first colon or bracket), the whole sentence as the description.
    summary: shortTitle(spec.summary),
    description: `${spec.summary}${whoMayCall(spec.permission)}`,
    tags: [spec.tag],
    security: spec.anonymous ? [] : [{ bearer: [] }],
    ...permissionExtensions(spec.permission),
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(requestHeaders ? { headers: requestHeaders } : {}),
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body, ...exampleOf(spec) } } } } : {}),
    },
    responses,
  });
}

/** The route's example body, which must be one its schema accepts: an example that drifts fails at registration (and so every test). */
function exampleOf(spec: RouteSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined>): { example?: unknown } {
  if (spec.example === undefined || !spec.body) return {};
  const checked = spec.body.safeParse(spec.example);
  if (!checked.success) throw new Error(`${spec.name}: its example is not a valid request body: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { example: spec.example };
}

/** Who may call an operation, in words for the reference page, from the same table as the extensions below. */
function whoMayCall(action: Action | undefined): string {
  if (!action) return '';
  const p = permissionFor(action);
  const byRole: Partial<Record<string, string>> = p.orgTypeByRole ?? {};
  const roles = p.roles.map((r) => (byRole[r] ? `${r} (${byRole[r]})` : r)).join(', ');
  const from = p.orgType ? ` of ${p.orgType === 'agency' ? 'an agency' : `a ${p.orgType}`}` : '';
  return `\n\nWho may call: ${roles}${from}${p.mfa ? '; MFA required' : ''}.`;
}

/**
 * Who may call an operation, machine-readable (issue 23): the roles, whether MFA is needed and
 * the organisation type each role must act from, straight from the one authorization table.
 * Extensions rather than OAuth scopes, because the tokens carry roles (Entra app roles), not scopes.
 */
function permissionExtensions(action: Action | undefined): Record<`x-${string}`, unknown> {
  if (!action) return {};
  const p = permissionFor(action);
  const byRole = p.orgTypeByRole ?? {};
  return {
    'x-permission': action,
    'x-roles': [...p.roles],
    'x-mfa': p.mfa === true,
    'x-org-type': Object.fromEntries(p.roles.map((role) => [role, byRole[role] ?? p.orgType ?? 'any'])),
  };
}

/** Cosmos DB's own fields (PRODUCT §10: no internal name leaves the service), dropped wherever a repository let one through. */
const STORE_FIELDS = new Set(['_rid', '_self', '_ts', '_etag', '_attachments', '_lsn']);
const withoutStoreFields = (key: string, value: unknown): unknown => (STORE_FIELDS.has(key) ? undefined : value);

export const json = <S extends number, B>(status: S, body: B, headers: Record<string, string> = {}) => ({ status, body, headers });

export const streamed = <S extends number>(status: S, contentType: string, stream: AsyncIterable<Uint8Array>, headers: Record<string, string> = {}) => ({
  status,
  stream,
  headers: { 'content-type': contentType, ...headers },
});

let streamingEnabled = false;

/**
 * Turns on the Functions library's HTTP streaming (once, before the app starts): requests and
 * responses then travel between the host and this worker over a local HTTP connection instead
 * of as whole messages, so a streamed reply is never held in memory in full. Without it the
 * library reads every response body into one buffer (toRpcHttp → arrayBuffer) before sending.
 * Needs Functions host 4.28 or later (the local host supports it too).
 */
function enableHttpStreaming(): void {
  if (streamingEnabled) return;
  streamingEnabled = true;
  try {
    app.setup({ enableHttpStream: true });
  } catch (error) {
    // A second load of the app in one process (tests that inspect the registrations) finds the
    // library already started, with streaming set up by the first load: nothing to change.
    if (!/after app startup/i.test(error instanceof Error ? error.message : '')) throw error;
  }
  watchStreamResponses();
}

/**
 * Passes a streamed body through with back-pressure: the next chunk is asked of the source only
 * once the connection has room for it, and the source is dropped (its reads stop) when the
 * client has gone. A failure after the response started is logged; the transfer is cut short.
 */
async function* paced(stream: AsyncIterable<Uint8Array>, sink: StreamSink, log: Logger): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      bytes += chunk.byteLength;
      yield chunk;
      if (!(await sink.ready())) {
        log.info('Client went away; streamed response stopped', { bytes });
        return;
      }
    }
  } catch (error) {
    log.error('Streamed response failed after it started; the transfer is cut short', {
      bytes,
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}

/** Query parameters as one value each: a parameter given twice (`?type=a&type=b`) is refused rather than silently read as one of them. */
function singleValued(query: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of query.entries()) {
    if (Object.hasOwn(values, name)) throw new ValidationError([{ path: name, message: `${name} is given more than once.` }], 'The query is not valid.');
    values[name] = value;
  }
  return values;
}
