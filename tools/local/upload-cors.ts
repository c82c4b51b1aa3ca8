/**
 * The console PUTs evidence straight to its SAS upload URL, from the page's origin to the blob
 * endpoint's: a cross-origin request (with the x-ms-blob-type header, so preflighted). In Azure the
 * storage account's CORS rule allows it (infra/app/storage.bicep, `uploadCorsAllowedOrigins`); here
 * the same rules are set on Azurite: uploads from the local host's own origins, reads from any. Only on the embedded Azurite:
 * with LOCAL_EMULATORS=external the account may be a real one, whose rule Bicep owns.
 */
import type { BlobServiceClient } from '@azure/storage-blob';

export async function allowBrowserUploads(blobs: BlobServiceClient, hostPort: number): Promise<void> {
  // The local host serves http on loopback under either name; a browser sends the one in its address bar.
  const origins = [`http://127.0.0.1:${hostPort}`, `http://localhost:${hostPort}`];
  await blobs.setProperties({
    cors: [
      {
        allowedOrigins: origins.join(','),
        allowedMethods: 'PUT,GET,HEAD',
        // The Bicep rule's methods and headers, so what works here works there.
        allowedHeaders: 'content-type,content-length,content-md5,x-ms-*',
        exposedHeaders: 'etag,x-ms-*',
        maxAgeInSeconds: 3600,
      },
      // Bicep's second rule: reads through a SAS from any origin (the hop after a cross-origin redirect sends Origin: null).
      { allowedOrigins: '*', allowedMethods: 'GET,HEAD', allowedHeaders: 'x-ms-*', exposedHeaders: 'etag,content-type,content-length,x-ms-*', maxAgeInSeconds: 3600 },
    ],
  });
}

/** The origin of the blob endpoint that upload URLs point at, for the console's connect-src. */
export const blobOrigin = (blobs: BlobServiceClient): string => new URL(blobs.url).origin;
