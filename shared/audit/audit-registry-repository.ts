import { container, readIfExists, replaceIfUnchanged, withoutSystemProperties } from '../adapters/cosmos-containers';
import { optimistically, RETRY } from '../adapters/optimistic';
import { isConflict } from '../adapters/cosmos-errors';

/*
 * The registry of audit chains: one small document ("audit-chain") in the organisation's
 * partition of the `orgs` container, written before a chain's first entry. The digest job
 * enumerates chains from it without touching the (large) audit container: listing chains
 * never scans entries. It also says how the chain is stored (docs/decisions/0004).
 */
const REGISTRY_ID = 'audit-chain';
const registered = new Set<string>();

/**
 * How a chain's entries are stored: `segmented` (every chain begun since issue 26: bounded
 * partitions of the `audit-chain` container) or `unsegmented` (a chain begun before, still in its
 * organisation's one partition of the old `audit` container, until the migration moves it).
 */
export type ChainLayout = 'segmented' | 'unsegmented';

interface RegistryDoc {
  id: typeof REGISTRY_ID;
  orgId: string;
  docType: typeof REGISTRY_ID;
  createdAt: string;
  /** Absent on chains registered before segments: those are unsegmented. */
  layout?: ChainLayout;
}

export async function registerChain(orgId: string, now = new Date()): Promise<void> {
  if (registered.has(orgId)) return;
  try {
    const doc: RegistryDoc = { id: REGISTRY_ID, orgId, docType: REGISTRY_ID, createdAt: now.toISOString(), layout: 'segmented' };
    await container('orgs').items.create(doc);
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  registered.add(orgId);
}

/** The chain's layout as stored now: a chain not registered yet will be segmented. */
export async function readChainLayout(orgId: string): Promise<ChainLayout> {
  const doc = await readIfExists<RegistryDoc>('orgs', orgId, REGISTRY_ID);
  if (!doc) return 'segmented';
  return doc.layout ?? 'unsegmented';
}

/** Records that a chain now lives in segments (the migration's last step); a chain is never moved back. */
export async function markSegmented(orgId: string): Promise<void> {
  await optimistically('The audit chain registry', async () => {
    const doc = await readIfExists<RegistryDoc>('orgs', orgId, REGISTRY_ID);
    if (!doc) throw new Error(`Audit chain ${orgId} is not registered.`);
    if (doc.layout === 'segmented') return undefined;
    return (await replaceIfUnchanged('orgs', doc, { ...withoutSystemProperties(doc), layout: 'segmented' as const })) ? undefined : RETRY;
  });
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
