import type { Container, FeedOptions, JSONValue, PartitionKey } from '@azure/cosmos';
import { database } from './azure-clients';
import { isNotFound, isPreconditionFailed } from './cosmos-errors';
import { documentKey, organisationScope, SHARD_PATH } from './cosmos-shards';

/**
 * A retailer's events, profiles, plate index, matching requests and the outbox documents of their
 * audit entries, in one container sharded by id (cosmos-shards.ts): an event, the profiles it
 * starts, its matching request and its outbox document fall in one shard, so intake writes them in
 * one transactional batch. Every query on it filters on `docType`, and every point read checks
 * it. Listing events sorts on occurredAtUtc then id, profiles on harm then id.
 */
const eventRecords = {
  id: 'retailer-records',
  partitionKey: '/orgId',
  shardKey: SHARD_PATH,
  compositeIndexes: [
    [
      { path: '/occurredAtUtc', order: 'descending' },
      { path: '/id', order: 'descending' },
    ],
    [
      { path: '/harm', order: 'descending' },
      { path: '/id', order: 'descending' },
    ],
  ],
} as const;

/** Records and the outbox documents of their audit entries share a container (and a batch): shared definitions. */
const orgRecords = { id: 'orgs', partitionKey: '/orgId' } as const;
const messageRecords = { id: 'messages', partitionKey: '/orgId' } as const;
const agreementRecords = { id: 'agreements', partitionKey: '/orgId' } as const;
/** Listed newest first. */
const newestFirst = [
  [
    { path: '/createdAt', order: 'descending' },
    { path: '/id', order: 'descending' },
  ],
] as const;
/** Link suggestions grow with a retailer's people (and a crowd of namesakes): sharded by link id. */
const linkRecords = { id: 'link-records', partitionKey: '/orgId', shardKey: SHARD_PATH, compositeIndexes: newestFirst } as const;
/** Alerts and evidence records grow with a retailer's reads and events over years of retention: sharded by id. */
const alertRecords = { id: 'lpr-alert-records', partitionKey: '/orgId', shardKey: SHARD_PATH, compositeIndexes: newestFirst } as const;
const evidenceRecords = { id: 'evidence-records', partitionKey: '/orgId', shardKey: SHARD_PATH } as const;
const subscriptionRecords = { id: 'subscriptions', partitionKey: '/orgId' } as const;
const caseFileRecords = { id: 'case-files', partitionKey: '/orgId' } as const;

/**
 * Where each kind of record lives. Every Cosmos DB container is partitioned by the owning
 * organisation, so a tenant's data never shares a logical partition with another's. Infra
 * (Bicep) and the local bootstrap both create exactly `physicalContainers()`.
 */
export const containerDefinitions = {
  /**
   * The organisation record (id "org"), its stores ("store:<id>") and settings ("settings"), and
   * "audit-chain" once the organisation's audit chain exists (the registry the digest job lists).
   */
  orgs: orgRecords,
  /** Audit entries of organisation, store and settings changes not yet appended (docType "audit-outbox"). */
  'orgs-audit-outbox': orgRecords,
  /**
   * The audit chain in segments (shared/audit/audit-entry-repository.ts, docs/decisions/0004):
   * entries "entry:<seq>" and a head hint "head" in partition "<orgId>/<segment>", the pointer
   * to the latest segment ("segments") in partition "<orgId>".
   */
  audit: { id: 'audit-chain', partitionKey: '/partition' },
  /** The chain as stored before segments, one partition per organisation: read only by the migration job. */
  'audit-unsegmented': { id: 'audit', partitionKey: '/orgId' },
  /** Events of a retailer (docType "event"). */
  events: eventRecords,
  /** Profiles of a retailer (docType "profile"): one per person, with the ids of their events. */
  profiles: eventRecords,
  /** Agreements between two retailers, partitioned by the pair ("a.b"), one record per pair. */
  agreements: agreementRecords,
  /** Audit entries of agreement changes not yet appended (docType "audit-outbox"; `chain` names each party). */
  'agreements-audit-outbox': agreementRecords,
  /** Messages between a retailer's staff and the police about one event, in the retailer's partition. */
  messages: messageRecords,
  /** Audit entries of messages posted, not yet appended (docType "audit-outbox"). */
  'messages-audit-outbox': messageRecords,
  /** Evidence records of a retailer ("<evidence id>", docType "evidence", in the shard of its id), each pointing at its event; blobs are named `<orgId>/<id>`. */
  evidence: evidenceRecords,
  /** Audit entries of evidence changes not yet appended (docType "audit-outbox", key "…@<evidence id>"), beside the records they describe. */
  'evidence-audit-outbox': evidenceRecords,
  /**
   * Blocking keys for Connect the Dots: one document per key value listing the profiles that have
   * it, the population count and the matching model; they grow with the population, so sharded.
   */
  matchkeys: { id: 'match-keys', partitionKey: '/orgId', shardKey: SHARD_PATH },
  /** Link suggestions and decisions, in the subject profile's retailer's shard of its id; id derived from the pair. */
  links: linkRecords,
  /** Audit entries of link decisions not yet appended (docType "audit-outbox"). */
  'links-audit-outbox': linkRecords,
  /** Idempotency-Key records, kept 24 h: a day of a large retailer's intake, so sharded. */
  idempotency: { id: 'idempotency-keys', partitionKey: '/orgId', shardKey: SHARD_PATH },
  /** The containers as they were before shards: read (and emptied) only by the shard migration job. */
  'matchkeys-unsharded': { id: 'matchkeys', partitionKey: '/orgId' },
  'idempotency-unsharded': { id: 'idempotency', partitionKey: '/orgId' },
  'events-unsharded': { id: 'events', partitionKey: '/orgId' },
  'links-unsharded': { id: 'links', partitionKey: '/orgId' },
  'evidence-unsharded': { id: 'evidence', partitionKey: '/orgId' },
  'lpr-alerts-unsharded': { id: 'lpr-alerts', partitionKey: '/orgId', compositeIndexes: newestFirst },
  /**
   * Anonymous aggregates the retention sweep leaves behind (one "day:<YYYY-MM-DD>" document per
   * retailer and UTC day) and the sweep's own bookmark ("sweep-state"); each retailer's
   * transparency tally ("transparency:<YYYY-MM>" and its bookmark "transparency:cursor") and, in
   * partition "transparency-stale", one marker per retailer whose chain has police reads not yet
   * tallied.
   */
  aggregates: { id: 'aggregates', partitionKey: '/orgId' },
  /**
   * LPR plate index (docType "plate-index"): one document per (retailer, OCR-canonical plate), id
   * "plate-" and a hash of the plate, listing its events' alert facts.
   */
  'plate-index': eventRecords,
  /**
   * Matching requests not yet done (docType "match-pending", id "match-pending@<event id>", in the event's shard):
   * written with the event, removed by the matcher; the sweep sends again those left behind.
   */
  'match-pending': eventRecords,
  /**
   * Audit entries not yet appended (docType "audit-outbox", id "audit-outbox:<key>"): written with
   * the change they describe, removed once the entry is in the chain (shared/audit/audit-outbox.ts).
   */
  'audit-outbox': eventRecords,
  /** LPR alerts (reads that alerted; misses are never stored), in the shard of their id, listed newest first. */
  'lpr-alerts': alertRecords,
  /** Audit entries of alerts being stored, not yet appended (docType "audit-outbox"; `chain` names the chain; key "…@<the last alert's id>", its proof). */
  'lpr-alerts-audit-outbox': alertRecords,
  /**
   * Alert subscriptions of an organisation ("<id>", docType "subscription", its secret sealed), their
   * deliveries ("delivery:<webhook id>") and the events waiting for a digest ("digest:<id>:<day>").
   */
  subscriptions: subscriptionRecords,
  /** Audit entries of subscriptions created or deleted, not yet appended (docType "audit-outbox"). */
  'subscriptions-audit-outbox': subscriptionRecords,
  /** Case files (PRODUCT §4c) in the requester's partition ("<id>", docType "case-file"); the ZIP is the blob `<orgId>/<id>.zip`. */
  'case-files': caseFileRecords,
  /** Audit entries of case files asked for, not yet appended (docType "audit-outbox"). */
  'case-files-audit-outbox': caseFileRecords,
} as const;

export type ContainerName = keyof typeof containerDefinitions;

export interface ContainerDefinition {
  id: string;
  partitionKey: string;
  /** Set on a sharded container: the key is hierarchical, `[partitionKey, shardKey]` (cosmos-shards.ts). */
  shardKey?: typeof SHARD_PATH;
  compositeIndexes?: readonly (readonly { path: string; order: 'ascending' | 'descending' }[])[];
}

/** The containers to create: each once, however many kinds of record share it. */
export function physicalContainers(definitions: Record<string, ContainerDefinition> = containerDefinitions): ContainerDefinition[] {
  const byId = new Map<string, ContainerDefinition>();
  for (const def of Object.values(definitions)) {
    const seen = byId.get(def.id);
    // Kinds of record that share a container share its one definition (the same object).
    if (seen && seen !== def) throw new Error(`Container ${def.id} is defined twice, differently.`);
    byId.set(def.id, def);
  }
  return [...byId.values()];
}

/** One client-side handle per container for the process, as for the client itself (never per call). */
const handles = new Map<string, Container>();

export function container(name: ContainerName): Container {
  const id = containerDefinitions[name].id;
  let handle = handles.get(id);
  if (!handle) handles.set(id, (handle = database().container(id)));
  return handle;
}

/** Whether `name` is sharded (cosmos-shards.ts). */
export const isSharded = (name: ContainerName): boolean => (containerDefinitions[name] as ContainerDefinition).shardKey !== undefined;

/** Where the document `id` of organisation `orgId` lives in container `name`: the full partition key. */
export const keyOf = (name: ContainerName, orgId: string, id: string): PartitionKey => documentKey(isSharded(name), orgId, id);

/** What a query over the organisation's documents in `name` names as its partition key (a prefix where sharded). */
export const scopeOf = (name: ContainerName, orgId: string): PartitionKey => organisationScope(isSharded(name), orgId);

/** A document as stored in `name`: with its shard where the container is sharded. */
export function placed<T extends { id: string }>(name: ContainerName, doc: T): T {
  if (!isSharded(name)) return doc;
  const key = keyOf(name, '', doc.id) as string[];
  return { ...doc, shard: key[1] };
}

/** The SDK's handle on one document, at its full partition key. */
export const itemOf = (name: ContainerName, orgId: string, id: string) => container(name).item(id, keyOf(name, orgId, id));

/** Query options over one organisation's documents in `name` (its partition, or the prefix of its shards). */
export const inOrganisation = (name: ContainerName, orgId: string, options: FeedOptions = {}): FeedOptions => ({ ...options, partitionKey: scopeOf(name, orgId) });

/** A document by id, or undefined when there is none: a 404 is an answer here, not an error. */
export async function readIfExists<T extends object>(name: ContainerName, orgId: string, id: string): Promise<(T & { _etag?: string }) | undefined> {
  try {
    const { resource } = await container(name).item(id, keyOf(name, orgId, id)).read<T>();
    return resource ?? undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Everything a query finds, in one call: in one partition when `partitionKey` is given (every hot
 * path), across partitions when it is undefined. Parameters by name without the `@`. For queries
 * whose results the caller bounds (TOP, a short list); unbounded reads page instead.
 */
export async function queryAll<T>(name: ContainerName, orgId: string | undefined, query: string, parameters: Record<string, JSONValue> = {}): Promise<T[]> {
  const { resources } = await container(name)
    .items.query<T>({ query, parameters: Object.entries(parameters).map(([key, value]) => ({ name: `@${key}`, value })) }, orgId === undefined ? {} : { partitionKey: scopeOf(name, orgId) })
    .fetchAll();
  return resources;
}

/**
 * A document without Cosmos DB's own properties (`_rid`, `_self`, `_ts`, `_etag`, `_attachments`)
 * and without its `shard` (where it lies, cosmos-shards.ts): what a repository hands on, so no
 * internal name leaves the service.
 */
export function withoutSystemProperties<T extends object>(doc: T): T {
  const out = { ...doc } as Record<string, unknown>;
  for (const key of Object.keys(out)) if (key.startsWith('_') || key === 'shard') delete out[key];
  return out as T;
}

/**
 * Replaces the version of a document that was read (its `_etag`) with `next`; false when it
 * changed or went since (read again and decide again; see optimistic.ts).
 */
export async function replaceIfUnchanged<T extends { id: string; orgId: string; _etag?: string }>(name: ContainerName, current: T, next: T): Promise<boolean> {
  const { _etag: _, ...doc } = next;
  try {
    await container(name).item(current.id, keyOf(name, current.orgId, current.id)).replace(placed(name, doc), { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } });
    return true;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return false;
    throw error;
  }
}

/** Deletes a document; one that is already gone is not an error (deletes are retried, purges resumed). */
export async function deleteIfExists(name: ContainerName, orgId: string, id: string): Promise<void> {
  try {
    await container(name).item(id, keyOf(name, orgId, id)).delete();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * The organisation holding a document of this id and type, whoever it is: a query across
 * partitions, asked only on the path of a 404 (to record a refused attempt in the holder's chain).
 */
export async function holderOf(name: ContainerName, docType: string, id: string): Promise<string | undefined> {
  const { resources } = await container(name)
    .items.query<{ orgId: string }>({ query: 'SELECT c.orgId FROM c WHERE c.id = @id AND c.docType = @docType', parameters: [{ name: '@id', value: id }, { name: '@docType', value: docType }] })
    .fetchAll();
  return resources[0]?.orgId;
}

/** Deletes the version of a document that was read (its `_etag`); false when it changed or went since. */
export async function deleteIfUnchanged(name: ContainerName, current: { id: string; orgId: string; _etag?: string }): Promise<boolean> {
  try {
    await container(name).item(current.id, keyOf(name, current.orgId, current.id)).delete({ accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } });
    return true;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return false;
    throw error;
  }
}

/** Blob containers the app uses. */
export const blobContainers = ['evidence-uploads', 'evidence', 'evidence-quarantine', 'audit-digests', 'case-files'] as const;
