import { randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { daybreakClient, type components, type DaybreakClient } from '../../../clients/ts/src/index';
import { PURPOSE, tokenFor } from '../support/api';
import { files, putBlob, settled, sha256 } from '../support/evidence';
import { eventBody, retailerWorld } from '../support/world';

/*
 * The published contract against the running service, as a client developer's tools would check
 * it (issue 23): a scenario drives every operation of the OpenAPI document through the generated
 * typed client (clients/ts), every answer is recorded at the fetch layer, and then each answer's
 * status must be one its operation documents explicitly and each JSON body must validate against
 * the documented schema with unknown properties refused (ajv, JSON Schema 2020-12).
 */

interface Recorded {
  method: string;
  path: string;
  status: number;
  contentType: string;
  text: string;
}

type Operation = {
  operationId: string;
  security?: unknown[];
  'x-roles'?: string[];
  'x-mfa'?: boolean;
  'x-org-type'?: Record<string, string>;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

const base = () => process.env.DAYBREAK_BASE_URL!;
const recorded: Recorded[] = [];

/** fetch as the typed client uses it, recording every answer (redirects not followed: they are the answer). */
const recording: typeof fetch = async (input, init) => {
  const request = new Request(input as Request, { ...init, redirect: 'manual' });
  const response = await fetch(request);
  recorded.push({
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.clone().text(),
  });
  return response;
};

const client = (token: string): DaybreakClient => daybreakClient(base(), token, recording);
const anonymous = (): DaybreakClient => daybreakClient(base(), '', recording);

/** Every object schema closed: a property the document does not name is an error. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** The operation a recorded request was, by method and path template (literal paths before templated ones). */
function operationOf(doc: Document, method: string, path: string): Operation | undefined {
  const candidates = Object.entries(doc.paths)
    .filter(([template]) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(path))
    .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  for (const [, operations] of candidates) if (operations[method.toLowerCase()]) return operations[method.toLowerCase()];
  return undefined;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const who = { ref: 'p1', role: 'offender' as const, name: { given: 'Wiremu', family: 'Contract-Tane' }, dateOfBirth: '1984-02-03', phone: '+64215550199' };

describe('the published contract, against every operation (issue 23)', () => {
  it('answers every operation of the document with a documented status and a body its schema allows, unknown properties refused', async () => {
    const platform = client(await tokenFor({ roles: ['PlatformAdmin'], sub: 'contract-admin', mfa: true }));
    const a = await retailerWorld();
    const b = await retailerWorld();
    const mfa = async (org: string, roles: Parameters<typeof tokenFor>[0]['roles'], sub: string) => client(await tokenFor({ org, roles, sub, mfa: true }));
    const adminA = await mfa(a.org, ['RetailerAdmin'], 'contract-admin-a');
    const investigator = await mfa(a.org, ['Investigator'], 'contract-inv');
    const reporter = await mfa(a.org, ['Reporter'], 'contract-rep');
    const compliance = await mfa(a.org, ['Compliance'], 'contract-comp');
    const integration = client(a.integration);

    // Operations and organisations.
    await anonymous().GET('/api/v1/health');
    await anonymous().GET('/api/v1/openapi.json');
    await anonymous().GET('/api/docs', { parseAs: 'text' });
    await anonymous().GET('/api/docs/scalar.js', { parseAs: 'text' });
    await anonymous().GET('/api/v1/.well-known/signing-keys');
    await anonymous().GET('/api/v1/transparency/public', { params: { query: { year: new Date().getUTCFullYear() } } });
    const agencyId = `agy-c-${randomUUID().slice(0, 8)}`;
    await platform.POST('/api/v1/orgs', { body: { id: agencyId, type: 'agency', name: 'Contract Police', jurisdictions: ['NZ-AKL'] } });
    const approval = { agreementReference: 'DSA-2026/014', privacyAssessmentReference: 'PIA-2026/007', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() };
    await platform.PUT('/api/v1/orgs/{orgId}/activation', { params: { path: { orgId: agencyId } }, body: approval });
    await platform.DELETE('/api/v1/orgs/{orgId}/activation', { params: { path: { orgId: agencyId } } });
    await platform.PUT('/api/v1/orgs/{orgId}/activation', { params: { path: { orgId: agencyId } }, body: approval });
    await platform.GET('/api/v1/orgs/{orgId}', { params: { path: { orgId: agencyId } } });
    await platform.POST('/api/v1/admin/jobs/audit-digest');
    await platform.POST('/api/v1/admin/jobs/audit-migrate');
    await platform.POST('/api/v1/admin/jobs/shard-migrate');
    await platform.POST('/api/v1/admin/jobs/retention-sweep', { params: { query: { retailerId: a.org } } });
    const officer = client(await tokenFor({ org: agencyId, roles: ['PoliceOfficer'], sub: 'contract-officer', mfa: true }));
    const supervisor = client(await tokenFor({ org: agencyId, roles: ['PoliceSupervisor'], sub: 'contract-supervisor' }));
    const header = { 'x-legal-basis': 'investigation' as const, 'x-case-reference': PURPOSE['x-case-reference'] };

    // Stores and settings.
    await adminA.PUT('/api/v1/stores/{storeId}', { params: { path: { storeId: 'chc-001' } }, body: { name: 'Riccarton', jurisdiction: 'NZ-CAN' } });
    await adminA.GET('/api/v1/stores/{storeId}', { params: { path: { storeId: 'chc-001' } } });
    await adminA.GET('/api/v1/stores', { params: { query: { pageSize: 10 } } });
    const settings = await adminA.GET('/api/v1/settings');
    await adminA.PUT('/api/v1/settings', { params: { header: { 'if-match': settings.response.headers.get('etag')! } }, body: { lprAlerts: { minEvents: 1 } } });

    // Events, evidence, messages, holds.
    type EventInput = components['schemas']['EventInput'];
    const shared = { policeSharing: { mode: 'all', excludeAgencies: [] } };
    const first = await reporter.POST('/api/v1/events', {
      params: { header: { 'idempotency-key': randomUUID() } },
      body: eventBody({ ...shared, people: [who], vehicles: [{ plate: 'CTR 042' }], occurredAt: '2026-10-01T10:00:00Z' }) as EventInput,
    });
    const eventId = first.data!.id;
    const profileId = first.data!.people[0]!.profileId;
    const second = await investigator.POST('/api/v1/events', { body: eventBody({ people: [{ ...who, name: { given: 'Wiri', family: 'Contract-Tane' } }], vehicles: [], occurredAt: '2026-10-05T10:00:00Z' }) as EventInput });
    const got = await investigator.GET('/api/v1/events/{id}', { params: { path: { id: eventId } } });
    await reporter.PATCH('/api/v1/events/{id}', { params: { path: { id: eventId }, header: { 'if-match': got.response.headers.get('etag')! } }, body: { description: 'Corrected: took razor blades.' } });
    await investigator.GET('/api/v1/events', { params: { query: { pageSize: 5 } } });
    await investigator.PUT('/api/v1/events/{id}/legal-hold', { params: { path: { id: second.data!.id } }, body: { reason: 'Court order 2026/77' } });
    await investigator.DELETE('/api/v1/events/{id}/legal-hold', { params: { path: { id: second.data!.id } } });
    const jpeg = await files.jpeg();
    const declared = await reporter.POST('/api/v1/events/{id}/evidence', { params: { path: { id: eventId } }, body: { fileName: 'till.jpg', contentType: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg), kind: 'image' } });
    expect(await putBlob(declared.data!.uploadUrl, jpeg)).toBe(201);
    const evidenceId = declared.data!.evidenceId;
    await settled(a.investigator, evidenceId);
    await reporter.GET('/api/v1/evidence/{id}', { params: { path: { id: evidenceId } } });
    await reporter.GET('/api/v1/evidence/{id}/content', { params: { path: { id: evidenceId } } });
    await investigator.GET('/api/v1/evidence/{id}/custody', { params: { path: { id: evidenceId }, query: { verify: true } } });
    await investigator.POST('/api/v1/events/{id}/messages', { params: { path: { id: eventId } }, body: { body: 'CCTV attached.' } });
    await officer.GET('/api/v1/events/{id}/messages', { params: { path: { id: eventId }, header } });

    // Police.
    await officer.GET('/api/v1/events/{id}', { params: { path: { id: eventId }, header } });
    await officer.POST('/api/v1/vehicles/enquiries', { params: { header }, body: { plate: 'CTR042' } });
    const caseFile = await officer.POST('/api/v1/case-files', { params: { header }, body: { title: 'R v Contract-Tane', eventIds: [eventId] } });
    await until('case file', async () => {
      const status = await officer.GET('/api/v1/case-files/{id}', { params: { path: { id: caseFile.data!.id }, header } });
      return status.data?.status === 'building' ? undefined : status.data;
    });
    await officer.GET('/api/v1/case-files/{id}/content', { params: { path: { id: caseFile.data!.id }, header } });
    await supervisor.GET('/api/v1/access-review');
    await adminA.GET('/api/v1/transparency');

    // Connect the Dots.
    await investigator.POST('/api/v1/profiles/search', { body: { name: 'Wiremu Contract-Tane' } });
    await investigator.GET('/api/v1/profiles', { params: { query: { pageSize: 5 } } });
    await investigator.GET('/api/v1/profiles/{id}', { params: { path: { id: profileId } } });
    await investigator.GET('/api/v1/groups');
    await investigator.GET('/api/v1/matching/model');
    const link = await until('a link suggestion', async () => (await investigator.GET('/api/v1/links', { params: { query: { status: 'pending', pageSize: 10 } } })).data?.items[0]);
    await investigator.POST('/api/v1/links/{id}/decision', { params: { path: { id: link.id } }, body: { decision: 'accept', note: 'Same DOB and phone.' } });
    await investigator.POST('/api/v1/profiles/{id}/split', { params: { path: { id: link.candidate.profileId } }, body: { linkId: link.id, reason: 'Accepted in error.' } });
    await investigator.GET('/api/v1/analytics');

    // LPR.
    await integration.POST('/api/v1/lpr/reads', { body: { reads: [{ plate: 'CTR042', storeId: 'akl-042', cameraId: 'cam-1', readAt: new Date(Date.now() - 5_000).toISOString(), confidence: 0.95 }] } });
    const alert = await until('an LPR alert', async () => (await investigator.GET('/api/v1/lpr/alerts', { params: { query: { pageSize: 5 } } })).data?.items[0]);
    await investigator.GET('/api/v1/lpr/alerts/{id}', { params: { path: { id: alert.id } } });

    // Agreements and subscriptions.
    const proposed = await adminA.POST('/api/v1/agreements', { body: { partnerRetailerId: b.org } });
    await client(await tokenFor({ org: b.org, roles: ['RetailerAdmin'], mfa: true })).POST('/api/v1/agreements/{id}/accept', { params: { path: { id: proposed.data!.id } } });
    await adminA.GET('/api/v1/agreements', { params: { query: { pageSize: 5 } } });
    await adminA.GET('/api/v1/agreements/{id}', { params: { path: { id: proposed.data!.id } } });
    await adminA.DELETE('/api/v1/agreements/{id}', { params: { path: { id: proposed.data!.id } } });
    const sub = await investigator.POST('/api/v1/subscriptions', { body: { name: 'contract', filter: {}, delivery: { mode: 'digest', url: 'http://127.0.0.1:9/contract' } } });
    await investigator.GET('/api/v1/subscriptions', { params: { query: { pageSize: 5 } } });
    await investigator.GET('/api/v1/subscriptions/{id}', { params: { path: { id: sub.data!.id } } });
    await investigator.GET('/api/v1/subscriptions/{id}/deliveries', { params: { path: { id: sub.data!.id } } });
    await investigator.DELETE('/api/v1/subscriptions/{id}', { params: { path: { id: sub.data!.id } } });

    // Compliance, privacy, deletion.
    await compliance.GET('/api/v1/audit/verify');
    await compliance.GET('/api/v1/audit/export', { params: { query: { format: 'jsonl' } }, parseAs: 'text' });
    await compliance.POST('/api/v1/subject-access', { body: { name: 'Wiremu Contract-Tane', dateOfBirth: '1984-02-03' } });
    await adminA.DELETE('/api/v1/profiles/{id}', { params: { path: { id: (await investigator.GET('/api/v1/events/{id}', { params: { path: { id: second.data!.id } } })).data!.people[0]!.profileId } } });
    await adminA.DELETE('/api/v1/events/{id}', { params: { path: { id: second.data!.id } } });

    // Problems are part of the contract too: a few refusals of each kind.
    await reporter.GET('/api/v1/events/{id}', { params: { path: { id: randomUUID() } } });
    await officer.GET('/api/v1/events/{id}', { params: { path: { id: eventId } } });
    await reporter.POST('/api/v1/events', { body: { ...(eventBody() as EventInput), type: 'not-a-type' as EventInput['type'] } });
    await client('not-a-token').GET('/api/v1/events');

    const doc = (await (await fetch(`${base()}/api/v1/openapi.json`)).json()) as Document;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const components = closed(doc.components);
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const r of recorded) {
      const op = operationOf(doc, r.method, r.path);
      if (!op) {
        problems.push(`${r.method} ${r.path}: not in the document`);
        continue;
      }
      seen.add(op.operationId);
      const response = op.responses[String(r.status)];
      if (!response) {
        problems.push(`${op.operationId}: answered ${r.status}, which it does not document (${r.text.slice(0, 160)})`);
        continue;
      }
      if (!r.text) continue;
      // Media types compared without their parameters (charset, header=present).
      const baseOf = (mediaType: string) => mediaType.split(';')[0]!.trim();
      const type = baseOf(r.contentType);
      const documented = Object.entries(response.content ?? {}).find(([mediaType]) => baseOf(mediaType) === type);
      if (!documented) {
        problems.push(`${op.operationId} ${r.status}: a ${type} body the document does not describe`);
        continue;
      }
      if (type !== 'application/json' && type !== 'application/problem+json') continue;
      const schema = documented[1].schema;
      const validate = ajv.compile({ ...(closed(schema) as object), components });
      if (!validate(JSON.parse(r.text))) problems.push(`${op.operationId} ${r.status}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
    }
    const all = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    // Who may call each operation is machine-readable: roles, MFA and organisation type, from the one authorization table.
    const ops = Object.values(doc.paths).flatMap((o) => Object.values(o));
    const undeclared = ops.filter((o) => o.security?.length && !(o['x-roles']?.length && typeof o['x-mfa'] === 'boolean' && o['x-org-type']));
    expect(undeclared.map((o) => o.operationId)).toEqual([]);
    // Every request body comes with an example (checked against its schema when the route is registered).
    expect(ops.filter((o) => o.requestBody && o.requestBody.content['application/json']?.example === undefined).map((o) => o.operationId)).toEqual([]);
    expect(ops.find((o) => o.operationId === 'case-files-content')).toMatchObject({ 'x-roles': ['Investigator', 'PoliceOfficer'], 'x-mfa': true, 'x-org-type': { Investigator: 'retailer', PoliceOfficer: 'agency' } });
    expect({ problems, missed: all.filter((id) => !seen.has(id)) }).toEqual({ problems: [], missed: [] });
    // A 2xx (or the 302 of a download) for every operation, not only refusals.
    const succeeded = new Set(recorded.filter((r) => r.status < 400).map((r) => operationOf(doc, r.method, r.path)!.operationId));
    expect(all.filter((id) => !succeeded.has(id))).toEqual([]);
  }, 180_000);
});
