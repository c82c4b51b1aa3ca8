import { blobServiceClient } from './azure-clients';
import type { blobContainers } from './cosmos-containers';

type BlobContainerName = (typeof blobContainers)[number];

/**
 * Appends one block of text to an append blob, creating the blob on first use. Each call is
 * one block, so concurrent writers never interleave inside a line. (An append blob holds at
 * most 50,000 blocks: callers choose names that roll over well before that.)
 */
export async function appendText(containerName: BlobContainerName, blobName: string, text: string, contentType: string): Promise<void> {
  const blob = blobServiceClient().getContainerClient(containerName).getAppendBlobClient(blobName);
  await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: contentType } });
  const bytes = Buffer.from(text, 'utf8');
  await blob.appendBlock(bytes, bytes.length);
}

/** Names of the blobs under a prefix, in name order. */
export async function listBlobNames(containerName: BlobContainerName, prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of blobServiceClient().getContainerClient(containerName).listBlobsFlat({ prefix })) names.push(item.name);
  return names.sort();
}

/** A small blob's whole text (digests: a few hundred bytes a day per chain). */
export async function downloadText(containerName: BlobContainerName, blobName: string): Promise<string> {
  const buffer = await blobServiceClient().getContainerClient(containerName).getBlobClient(blobName).downloadToBuffer();
  return buffer.toString('utf8');
}
