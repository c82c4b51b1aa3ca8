import { createHash } from 'node:crypto';
import type { BlobClient, BlobItem } from '@azure/storage-blob';
import { blobServiceClient } from './azure-clients';
import { sasMode, signedBlobUrl } from './blob-sas';

/*
 * Blob operations of the evidence locker: facts, streaming reads, server-side copies and
 * conditional deletes. Reads always stream from storage (never a whole blob in memory); every
 * step that depends on "the bytes we looked at" is conditional on that blob version's ETag.
 */

export const UPLOADS = 'evidence-uploads';
export const EVIDENCE = 'evidence';
export const QUARANTINE = 'evidence-quarantine';

export interface BlobFacts {
  etag: string;
  size: number;
  metadata: Record<string, string>;
}

/** The HTTP status of a storage error (RestError carries it as statusCode; its code is a string). */
const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

const blob = (containerName: string, name: string): BlobClient =>
  blobServiceClient().getContainerClient(containerName).getBlobClient(name);

/** ETag (quoted, as the service sends it), size and metadata; undefined when there is no such blob. */
export async function blobFacts(containerName: string, name: string): Promise<BlobFacts | undefined> {
  try {
    const p = await blob(containerName, name).getProperties();
    return { etag: p.etag ?? '', size: p.contentLength ?? 0, metadata: p.metadata ?? {} };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** The blob's bytes as they arrive, only while it is still this version (`etag`); retries broken connections from where they stopped. */
export async function* streamBlob(containerName: string, name: string, etag?: string): AsyncGenerator<Buffer> {
  const response = await blob(containerName, name).download(0, undefined, {
    ...(etag ? { conditions: { ifMatch: etag } } : {}),
    maxRetryRequests: 5,
  });
  const body = response.readableStreamBody;
  if (!body) return;
  for await (const chunk of body) yield chunk as Buffer;
}

/** SHA-256 (hex) and length of a stored blob, streamed. */
export async function hashBlob(containerName: string, name: string, etag?: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of streamBlob(containerName, name, etag)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** The whole blob, for small ones only: refuses anything over `maxBytes`. */
export async function readSmallBlob(containerName: string, name: string, maxBytes: number, etag?: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of streamBlob(containerName, name, etag)) {
    size += chunk.length;
    if (size > maxBytes) throw new RangeError(`Blob ${containerName}/${name} is larger than ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export type CopyOutcome = 'copied' | 'exists';

/**
 * Server-side copy of one blob version (`sourceEtag`) to another container under the same
 * name, with `metadata`. `createOnly` never replaces an existing destination: it answers
 * 'exists' instead, and the caller checks that what is there is what it meant to write.
 *
 * The source is authorised like the request with the account key; with the managed identity
 * it carries a short read-only user-delegation SAS, which Copy Blob accepts in every case.
 */
export async function copyBlob(
  fromContainer: string,
  name: string,
  toContainer: string,
  options: { sourceEtag: string; metadata: Record<string, string>; createOnly: boolean },
): Promise<CopyOutcome> {
  const source = blob(fromContainer, name);
  const sourceUrl =
    sasMode() === 'account-key'
      ? source.url
      : await signedBlobUrl(fromContainer, name, { permissions: 'r', expiresOn: new Date(Date.now() + 60 * 60 * 1000) });
  const target = blob(toContainer, name);
  try {
    const poller = await target.beginCopyFromURL(sourceUrl, {
      metadata: options.metadata,
      sourceConditions: { ifMatch: options.sourceEtag },
      ...(options.createOnly ? { conditions: { ifNoneMatch: '*' } } : {}),
      intervalInMs: 500,
    });
    const done = await poller.pollUntilDone();
    if (done.copyStatus !== 'success') throw new Error(`Copy of ${fromContainer}/${name} to ${toContainer} ended ${done.copyStatus}.`);
    return 'copied';
  } catch (error) {
    if (options.createOnly && (statusOf(error) === 409 || (error as { code?: string }).code === 'BlobAlreadyExists')) return 'exists';
    throw error;
  }
}

/** Deletes the blob (only that version when `etag` is given); false when it was not there or has changed. */
export async function deleteBlob(containerName: string, name: string, etag?: string): Promise<boolean> {
  try {
    await blob(containerName, name).delete({ deleteSnapshots: 'include', ...(etag ? { conditions: { ifMatch: etag } } : {}) });
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 412) return false;
    throw error;
  }
}

export function uploadUrl(name: string, expiresOn: Date): Promise<string> {
  return signedBlobUrl(UPLOADS, name, { permissions: 'c', expiresOn });
}

export function readUrl(containerName: string, name: string, expiresOn: Date, contentType: string, fileName: string): Promise<string> {
  return signedBlobUrl(containerName, name, {
    permissions: 'r',
    expiresOn,
    contentType,
    contentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}

/**
 * One page of the blobs under `prefix`, in name order, from where `continuationToken` left
 * off: a scan that resumes across runs without listing a whole container at once.
 */
export async function listBlobPage(
  containerName: string,
  prefix: string,
  maxPageSize: number,
  continuationToken?: string,
): Promise<{ blobs: { name: string; lastModified: Date }[]; next: string | null }> {
  const pages = blobServiceClient()
    .getContainerClient(containerName)
    .listBlobsFlat({ prefix })
    .byPage({ maxPageSize, ...(continuationToken ? { continuationToken } : {}) });
  const { value } = await pages.next();
  if (!value) return { blobs: [], next: null };
  const blobs = value.segment.blobItems.map((b: BlobItem) => ({ name: b.name, lastModified: b.properties.lastModified }));
  return { blobs, next: value.continuationToken || null };
}
