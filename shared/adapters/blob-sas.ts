import {
  BlobSASPermissions,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from '@azure/storage-blob';
import { settings } from '../config/settings';
import { blobServiceClient } from './azure-clients';

/**
 * Short-lived URLs for one blob, signed two ways, chosen by configuration:
 *
 * - `account-key`: a service SAS signed with the account key parsed from the
 *   `AzureWebJobsStorage` connection string (Azurite locally, where there is no Entra ID);
 * - `user-delegation`: a user-delegation SAS signed with a key the managed identity obtains
 *   from Entra ID (Azure, where the account has shared keys disabled). Revocable by revoking
 *   the delegation keys, and attributable to the identity.
 *
 * Every URL names exactly one blob (`sr=b`), so it can reach nothing else.
 */
export type SasMode = 'account-key' | 'user-delegation';

export interface SasOptions {
  /** Letters from racwd…, e.g. "c" = create a new blob only (never overwrite), "r" = read. */
  permissions: string;
  expiresOn: Date;
  /** Response headers a read URL makes the service send (rsct / rscd). */
  contentType?: string;
  contentDisposition?: string;
}

interface AccountKey {
  accountName: string;
  accountKey: string;
}

/** The well-known development account that `UseDevelopmentStorage=true` means. */
const DEV_ACCOUNT: AccountKey = {
  accountName: 'devstoreaccount1',
  accountKey: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

/** AccountName and AccountKey of a storage connection string, or undefined when it has no key. */
export function accountKeyOf(connectionString: string | undefined): AccountKey | undefined {
  if (!connectionString) return undefined;
  const parts = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if (parts.get('usedevelopmentstorage') === 'true') return DEV_ACCOUNT;
  const accountName = parts.get('accountname');
  const accountKey = parts.get('accountkey');
  return accountName && accountKey ? { accountName, accountKey } : undefined;
}

export function sasMode(): SasMode {
  return accountKeyOf(settings().AzureWebJobsStorage) ? 'account-key' : 'user-delegation';
}

let sharedKey: StorageSharedKeyCredential | undefined;
let delegation: { key: UserDelegationKey; expiresOn: Date } | undefined;

const HOUR = 60 * 60 * 1000;

/**
 * The SAS version our URLs are signed with, pinned rather than left to the SDK's default: it is
 * GA in Azure, and it is the newest whose string-to-sign Azurite 3.35 validates (the SDK's
 * default, 2026-04-06, adds user-delegation fields Azurite does not know yet).
 */
export const SAS_VERSION = '2025-07-05';

/** One delegation key per process, renewed an hour before it lapses (a key may live up to 7 days). */
async function delegationKey(needUntil: Date): Promise<UserDelegationKey> {
  if (!delegation || delegation.expiresOn.getTime() - HOUR < needUntil.getTime()) {
    const startsOn = new Date(Date.now() - 5 * 60 * 1000);
    const expiresOn = new Date(Math.max(Date.now() + 6 * HOUR, needUntil.getTime() + HOUR));
    const key = await blobServiceClient().getUserDelegationKey(startsOn, expiresOn);
    delegation = { key, expiresOn };
  }
  return delegation.key;
}

/** A URL for one blob carrying a SAS with exactly these permissions. */
export async function signedBlobUrl(containerName: string, blobName: string, options: SasOptions): Promise<string> {
  const blob = blobServiceClient().getContainerClient(containerName).getBlobClient(blobName);
  const values = {
    containerName,
    blobName,
    permissions: BlobSASPermissions.parse(options.permissions),
    version: SAS_VERSION,
    expiresOn: options.expiresOn,
    // HTTPS only wherever the endpoint speaks it; Azurite locally is plain HTTP.
    protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
    ...(options.contentType ? { contentType: options.contentType } : {}),
    ...(options.contentDisposition ? { contentDisposition: options.contentDisposition } : {}),
  };
  const account = accountKeyOf(settings().AzureWebJobsStorage);
  let query: string;
  if (account) {
    sharedKey ??= new StorageSharedKeyCredential(account.accountName, account.accountKey);
    query = generateBlobSASQueryParameters(values, sharedKey).toString();
  } else {
    // The SDK reads it from either URL style (account.blob.core.windows.net, or host/account for emulators).
    const accountName = blobServiceClient().accountName;
    query = generateBlobSASQueryParameters(values, await delegationKey(options.expiresOn), accountName).toString();
  }
  return `${blob.url}?${query}`;
}
