import { orgStatusAt, type Org, type Store } from '../domain/organisation';
import { ConflictError, PreconditionFailedError } from '../domain/errors';
import { DEFAULT_SETTINGS, withDefaults, type RetailerSettings } from '../domain/retailer-settings';
import { container, readIfExists, queryAll } from '../adapters/cosmos-containers';
import { createOperation, replaceOperation, upsertOperation } from '../adapters/cosmos-batch';
import { writeAudited, type OutboxDraft } from '../audit/audit-outbox-repository';
import { settleAudit } from '../audit/audit-outbox';

/** An organisation change's audit entry, written with it (audit-outbox.ts). */
export type OrgAudit = OutboxDraft;
const inOrgs = (entry: OrgAudit) => ({ ...entry, where: 'orgs-audit-outbox' as const });

/*
 * One container, partitioned by organisation, holds each organisation's record ("org"),
 * its stores ("store:<id>") and its settings ("settings"): all point reads.
 */
type Stored<T> = T & { id: string; orgId: string; docType: string; _etag?: string };

const ORG_CACHE_MS = 60_000;
const orgCache = new Map<string, { org: Org; until: number }>();

async function readDoc<T>(orgId: string, id: string): Promise<Stored<T> | undefined> {
  return readIfExists<Stored<T>>('orgs', orgId, id);
}

/** The organisation as the API shows it, its status as of now; none of the store's fields. */
function toOrg(doc: Stored<Org>): Org {
  const { type, name, jurisdictions, createdAt, createdBy, activation, suspension } = doc;
  return {
    id: doc.orgId,
    type,
    name,
    jurisdictions,
    createdAt,
    createdBy,
    status: orgStatusAt(doc, new Date()),
    ...(activation ? { activation } : {}),
    ...(suspension ? { suspension } : {}),
  };
}

/**
 * Organisations never change type, so a short per-process cache keeps hot paths to one read.
 * Its `status` may be a minute old: decisions on an agency's status read it with readOrgNow.
 */
export async function getOrg(orgId: string): Promise<Org | undefined> {
  const hit = orgCache.get(orgId);
  if (hit && hit.until > Date.now()) return hit.org;
  const doc = await readDoc<Org>(orgId, 'org');
  if (!doc) return undefined;
  const org = toOrg(doc);
  orgCache.set(orgId, { org, until: Date.now() + ORG_CACHE_MS });
  return org;
}

/** The organisation as stored this moment (a point read, no cache), with the version to replace it at. */
export async function readOrgNow(orgId: string): Promise<{ org: Org; etag: string } | undefined> {
  const doc = await readDoc<Org>(orgId, 'org');
  return doc ? { org: toOrg(doc), etag: doc._etag ?? '' } : undefined;
}

/**
 * Replaces the organisation's record with `org` if it is still at `etag` (else 412, read again),
 * with its audit entry in the same batch (audit-outbox.ts).
 */
export async function replaceOrg(org: Org, etag: string, audit: OrgAudit): Promise<void> {
  const doc = { ...org, id: 'org', orgId: org.id, docType: 'org' };
  if (!(await writeAudited(org.id, [replaceOperation(doc, etag)], inOrgs(audit)))) throw new PreconditionFailedError();
  orgCache.delete(org.id);
}

/**
 * Creates the organisation; the one it names if it already exists as this caller asked for it (a
 * client's retry of a create whose answer it never got: the same type, name, jurisdictions and
 * creator), so the retry gets the first response; 409 ORG_EXISTS for anything else.
 */
export async function insertOrg(org: Org, audit: OrgAudit): Promise<Org> {
  const doc = { ...org, id: 'org', orgId: org.id, docType: 'org' };
  if ((await writeAudited(org.id, [createOperation(doc)], inOrgs(audit))) || (await ownCreate(org.id, 'org', doc))) return org;
  const existing = await readDoc<Org>(org.id, 'org');
  const same = existing && (['type', 'name', 'jurisdictions', 'createdBy'] as const).every((k) => JSON.stringify(existing[k]) === JSON.stringify(org[k]));
  if (same) return toOrg(existing);
  throw new ConflictError('ORG_EXISTS', `An organisation with id ${org.id} already exists.`);
}

/**
 * Whether the document that made a create fail is this very create, applied although its answer
 * was lost (the connection dropped after the store acted, and the retry met it): the same
 * creation time and content. Then the create succeeded, and its outbox document is there too.
 */
async function ownCreate<T extends { createdAt: string }>(orgId: string, id: string, mine: T): Promise<boolean> {
  const found = await readDoc<T>(orgId, id);
  if (!found || found.createdAt !== mine.createdAt) return false;
  return Object.entries(mine).every(([k, v]) => JSON.stringify((found as Record<string, unknown>)[k]) === JSON.stringify(v));
}

const storeDocId = (storeId: string) => `store:${storeId}`;

function toStore(doc: Stored<Store>): Store {
  const { retailerId, name, jurisdiction, createdAt, updatedAt } = doc;
  return { id: doc.id.slice('store:'.length), retailerId, name, jurisdiction, createdAt, updatedAt };
}

export async function getStore(retailerId: string, storeId: string): Promise<Store | undefined> {
  const doc = await readDoc<Store>(retailerId, storeDocId(storeId));
  return doc ? toStore(doc) : undefined;
}

const STORE_CACHE_MS = 30_000;
const storeCache = new Map<string, { store: Store; until: number }>();

/**
 * A store as the hot paths (intake, LPR reads) check it: from a short per-process cache. A store
 * written in this process is seen at once; one written elsewhere within 30 s. An event records
 * its store's jurisdiction as it was when the event was written anyway, so a move between
 * jurisdictions never changed events already written either. Unknown stores are not cached.
 */
export async function knownStore(retailerId: string, storeId: string): Promise<Store | undefined> {
  const key = `${retailerId}/${storeId}`;
  const hit = storeCache.get(key);
  if (hit && hit.until > Date.now()) return hit.store;
  const store = await getStore(retailerId, storeId);
  if (store) rememberStore(store);
  return store;
}

function rememberStore(store: Store): void {
  if (storeCache.size >= 10_000) storeCache.clear();
  storeCache.set(`${store.retailerId}/${store.id}`, { store, until: Date.now() + STORE_CACHE_MS });
}

/** Creates or replaces a store; says which, so the endpoint can answer 201 or 200. */
/** Creates the store, or updates it (keeping when it was created); `audit` gives the entry of either. */
export async function upsertStore(store: Store, audit: (created: boolean) => OrgAudit): Promise<{ store: Store; created: boolean; entry: OrgAudit }> {
  const doc = { ...store, id: storeDocId(store.id), orgId: store.retailerId, docType: 'store' };
  const created = audit(true);
  if ((await writeAudited(store.retailerId, [createOperation(doc)], inOrgs(created))) || (await ownCreate(store.retailerId, doc.id, doc))) {
    rememberStore(store);
    return { store, created: true, entry: created };
  }
  const existing = await readDoc<Store>(store.retailerId, doc.id);
  // A create whose entry is still in the outbox (its request failed after the write) goes into the chain before this update's.
  await settleAudit(store.retailerId, created.key, 'orgs-audit-outbox');
  const kept = { ...doc, createdAt: existing?.createdAt ?? store.createdAt };
  const updated = audit(false);
  if (!(await writeAudited(store.retailerId, [upsertOperation(kept)], inOrgs(updated)))) throw new Error(`Store ${store.id} could not be written.`);
  rememberStore({ ...store, createdAt: kept.createdAt });
  return { store: { ...store, createdAt: kept.createdAt }, created: false, entry: updated };
}

export async function listStores(retailerId: string): Promise<Store[]> {
  const resources = await queryAll<Stored<Store>>('orgs', retailerId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'store'", { orgId: retailerId });
  return resources.map(toStore).sort((a, b) => a.id.localeCompare(b.id));
}

export interface VersionedSettings {
  settings: RetailerSettings;
  etag: string | null;
}

export async function getSettings(retailerId: string): Promise<VersionedSettings> {
  const doc = await readDoc<{ settings: RetailerSettings }>(retailerId, 'settings');
  return doc ? { settings: withDefaults(doc.settings), etag: doc._etag ?? null } : { settings: DEFAULT_SETTINGS, etag: null };
}

/** A retailer's default police sharing (the police listing and vehicle enquiries decide visibility with it). */
export async function policeSharingOf(retailerId: string): Promise<RetailerSettings['policeSharing']> {
  return (await getSettings(retailerId)).settings.policeSharing;
}

/**
 * Optimistic concurrency: the write succeeds only if the settings are still the version
 * that was read (`expectedEtag` null = still absent), so two admins cannot overwrite each
 * other silently.
 */
export async function saveSettings(retailerId: string, settings: RetailerSettings, expectedEtag: string | null, audit: OrgAudit): Promise<string> {
  const doc = { id: 'settings', orgId: retailerId, docType: 'settings', settings };
  const written = await writeAudited(retailerId, [expectedEtag ? replaceOperation(doc, expectedEtag) : createOperation(doc)], inOrgs(audit));
  if (!written) throw new PreconditionFailedError();
  return written[0]!.eTag ?? '';
}

/** Retailers whose default police sharing is `all`: their default-mode events reach every agency. */
export async function retailersSharingWithAll(): Promise<string[]> {
  const { resources } = await container('orgs')
    .items.query<{ orgId: string }>({
      query: "SELECT c.orgId FROM c WHERE c.docType = 'settings' AND c.settings.policeSharing = 'all'",
    })
    .fetchAll();
  return resources.map((r) => r.orgId);
}

/** Every retailer's id, a page at a time (a cross-partition query over organisation records; for jobs, not hot paths). */
export async function* listRetailerIds(pageSize = 500): AsyncGenerator<string> {
  const iterator = container('orgs').items.query<{ orgId: string }>(
    { query: "SELECT c.orgId FROM c WHERE c.docType = 'org' AND c.type = 'retailer'" },
    { maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const r of resources ?? []) yield r.orgId;
  }
}
