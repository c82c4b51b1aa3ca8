import { createOperation, replaceOperation } from '../adapters/cosmos-batch';
import { writeAudited, type OutboxEntry } from '../audit/audit-outbox-repository';
import { agreementId, type Agreement } from '../domain/sharing';
import { PreconditionFailedError } from '../domain/errors';
import { container, readIfExists, withoutSystemProperties } from '../adapters/cosmos-containers';

/**
 * One record per pair of retailers, partitioned by the pair's id, so "is there an active
 * agreement between A and B" is a single point read from either side.
 */
type AgreementDoc = Agreement & { orgId: string; docType: 'agreement'; _etag?: string };

export async function readAgreement(id: string): Promise<{ agreement: Agreement; etag: string } | undefined> {
  const resource = await readIfExists<AgreementDoc>('agreements', id, id);
  if (!resource) return undefined;
  const { orgId: _o, docType: _d, ...agreement } = withoutSystemProperties(resource);
  return { agreement: agreement as Agreement, etag: resource._etag ?? '' };
}

/**
 * Creates, or replaces the version that was read (null = expected absent), with the audit entry of
 * the change for each party's chain in the same batch (audit-outbox.ts).
 */
export async function writeAgreement(agreement: Agreement, expectedEtag: string | null, audits: Omit<OutboxEntry, 'where'>[]): Promise<void> {
  const doc: AgreementDoc = { ...agreement, orgId: agreement.id, docType: 'agreement' };
  const op = expectedEtag === null ? createOperation(doc) : replaceOperation(doc, expectedEtag);
  const written = await writeAudited(agreement.id, [op], audits.map((a) => ({ ...a, where: 'agreements-audit-outbox' as const })));
  if (!written) throw new PreconditionFailedError('The agreement changed meanwhile; try again.');
}

/** A retailer's agreements: a small cross-partition query, only for listing. */
export async function listAgreementsOf(retailerId: string): Promise<Agreement[]> {
  const { resources } = await container('agreements')
    .items.query<AgreementDoc>({
      query: "SELECT * FROM c WHERE c.docType = 'agreement' AND ARRAY_CONTAINS(c.parties, @org)",
      parameters: [{ name: '@org', value: retailerId }],
    })
    .fetchAll();
  return resources.map((doc) => withoutSystemProperties(doc)).map(({ orgId: _o, docType: _d, ...a }) => a as Agreement).sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Retailers this one has had an agreement with, in any state: whose records may name its events (a
 * pair's one record is overwritten when proposed again after a revocation, so whether it was ever
 * active cannot be told from it).
 */
export async function formerPartnersOf(retailerId: string): Promise<string[]> {
  const agreements = await listAgreementsOf(retailerId);
  return [...new Set(agreements.flatMap((a) => a.parties.filter((p) => p !== retailerId)))];
}

export async function agreementIsActive(a: string, b: string): Promise<boolean> {
  if (a === b) return false;
  return (await readAgreement(agreementId(a, b)))?.agreement.status === 'active';
}
