import path from 'node:path';

/** Where the embedded stack listens, read from the same settings the app uses. */
export interface StackConfig {
  embedded: boolean;
  hostPort: number;
  jwksPort: number;
  blobPort: number;
  queuePort: number;
  cosmosPort: number;
  keyFile: string;
}

function endpointPort(connectionString: string, key: 'BlobEndpoint' | 'QueueEndpoint'): number {
  const match = new RegExp(`${key}=([^;]+)`).exec(connectionString);
  if (!match?.[1]) throw new Error(`AzureWebJobsStorage has no ${key}: the embedded stack needs one.`);
  return Number(new URL(match[1]).port);
}

export function stackConfig(root: string, env = process.env): StackConfig {
  const storage = env.AzureWebJobsStorage ?? '';
  const embedded = (env.LOCAL_EMULATORS ?? 'embedded') === 'embedded';
  return {
    embedded,
    hostPort: Number(env.LOCAL_HOST_PORT ?? '7071'),
    jwksPort: Number(env.DEV_ISSUER_JWKS_PORT ?? '7072'),
    // LOCAL_*_PORT: the emulator listens elsewhere than the endpoint the app uses (a fault proxy between them, in tests).
    blobPort: embedded ? Number(env.LOCAL_BLOB_PORT ?? endpointPort(storage, 'BlobEndpoint')) : 0,
    queuePort: embedded ? Number(env.LOCAL_QUEUE_PORT ?? endpointPort(storage, 'QueueEndpoint')) : 0,
    cosmosPort: embedded ? Number(env.LOCAL_COSMOS_PORT ?? (new URL(env.COSMOS_ENDPOINT ?? 'https://127.0.0.1:8081').port || 443)) : 0,
    keyFile: path.resolve(root, env.DEV_ISSUER_KEY_FILE ?? '.daybreak/dev-issuer-key.json'),
  };
}
