import type { Container } from '@azure/cosmos';
import { database } from './azure-clients';

/**
 * Every Cosmos DB container, partitioned by the owning organisation so a tenant's data
 * never shares a logical partition with another's. Infra (Bicep) and the local bootstrap
 * both create exactly these.
 */
export const containerDefinitions = {
  /** The organisation record (id "org"), its stores ("store:<id>") and settings ("settings"). */
  orgs: { id: 'orgs', partitionKey: '/orgId' },
  /** The audit chain: entries "entry:<seq>" and a head hint "head". */
  audit: { id: 'audit', partitionKey: '/orgId' },
} as const;

export type ContainerName = keyof typeof containerDefinitions;

export function container(name: ContainerName): Container {
  return database().container(containerDefinitions[name].id);
}

/** Blob containers the app uses. */
export const blobContainers = ['evidence-uploads', 'evidence', 'evidence-quarantine', 'audit-digests'] as const;
