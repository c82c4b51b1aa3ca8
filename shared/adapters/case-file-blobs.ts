import type { Readable } from 'node:stream';
import { blobServiceClient } from './azure-clients';
import { signedBlobUrl } from './blob-sas';

/** Built case files (PRODUCT §4c): one ZIP per case file, written once by its build, read through short-lived URLs. */
export const CASE_FILES = 'case-files';

const MiB = 1024 * 1024;

/**
 * Streams the ZIP into its blob as it is produced: the upload holds at most `buffers` blocks of
 * 4 MiB in memory whatever the size of the evidence. A redelivered build replaces its own blob.
 */
export async function uploadCaseFile(name: string, body: Readable, buffers = 4): Promise<void> {
  const blob = blobServiceClient().getContainerClient(CASE_FILES).getBlockBlobClient(name);
  await blob.uploadStream(body, 4 * MiB, buffers, { blobHTTPHeaders: { blobContentType: 'application/zip' } });
}

/** A read-only URL for the one blob, valid until `expiresOn`, that downloads as `fileName`. */
export function caseFileUrl(name: string, expiresOn: Date, fileName: string): Promise<string> {
  return signedBlobUrl(CASE_FILES, name, {
    permissions: 'r',
    expiresOn,
    contentType: 'application/zip',
    contentDisposition: `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  });
}

export async function deleteCaseFileBlob(name: string): Promise<void> {
  await blobServiceClient().getContainerClient(CASE_FILES).getBlobClient(name).deleteIfExists();
}
