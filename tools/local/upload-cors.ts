/**
 * The console PUTs evidence straight to its SAS upload URL, from the page's origin to the blob
 * endpoint's: a cross-origin request (with the x-ms-blob-type header, so preflighted). In Azure the
 * storage account's CORS rule allows it (infra/app/storage.bicep, `uploadCorsAllowedOrigins`); here
 * the same rule is set on Azurite for the local host's own origins.
 */
import type { BlobServiceClient } from '@azure/storage-blob';

export async function allowBrowserUploads(blobs: BlobServiceClient, siteUrl: string): Promise<void> {
  const site = new URL(siteUrl);
  // The host answers on loopback under either name; a browser sends the one in its address bar.
  const origins = [site.origin, `${site.protocol}//localhost:${site.port}`, `${site.protocol}//127.0.0.1:${site.port}`];
  await blobs.setProperties({
    cors: [
      {
        allowedOrigins: [...new Set(origins)].join(','),
        allowedMethods: 'PUT,GET,HEAD',
        // The Bicep rule's methods and headers, so what works here works there.
        allowedHeaders: 'content-type,content-length,content-md5,x-ms-*',
        exposedHeaders: 'etag,x-ms-*',
        maxAgeInSeconds: 3600,
      },
    ],
  });
}

/** The origin of the blob endpoint that upload URLs point at, for the console's connect-src. */
export const blobOrigin = (blobs: BlobServiceClient): string => new URL(blobs.url).origin;
