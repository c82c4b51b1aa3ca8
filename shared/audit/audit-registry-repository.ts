import { container } from '../adapters/cosmos-containers';
import { isConflict } from '../adapters/cosmos-errors';

/*
 * The registry of audit chains: one small document ("audit-chain") in the organisation's
 * partition of the `orgs` container, written before a chain's first entry. The digest job
 * enumerates chains from it without touching the (large) audit container: listing chains
 * never scans entries.
 */
const REGISTRY_ID = 'audit-chain';
const registered = new Set<string>();

export async function registerChain(orgId: string, now = new Date()): Promise<void> {
  if (registered.has(orgId)) return;
  try {
    await container('orgs').items.create({ id: REGISTRY_ID, orgId, docType: REGISTRY_ID, createdAt: now.toISOString() });
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  registered.add(orgId);
}

/** Every registered chain, a page at a time (a cross-partition query over registry documents only). */
export async function* listChains(pageSize = 500): AsyncGenerator<string> {
  const iterator = container('orgs').items.query<{ orgId: string }>(
    { query: 'SELECT c.orgId FROM c WHERE c.docType = @type', parameters: [{ name: '@type', value: REGISTRY_ID }] },
    { maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const r of resources ?? []) yield r.orgId;
  }
}
