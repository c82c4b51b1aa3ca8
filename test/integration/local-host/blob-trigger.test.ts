import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteHandle } from '../../../tools/local/emulators';
import { startHost, type LocalHost } from '../../../tools/local-host/host';
import { clearRecorded, collectingLogger, fixtureAppRoot, recorded, type Recorded } from './helpers';

describe('local host: blob triggers against Azurite', () => {
  const { logger, entries } = collectingLogger();
  let azurite: AzuriteHandle;
  let host: LocalHost;
  let blobs: BlobServiceClient;

  const upload = async (container: string, name: string, content: string | Buffer, metadata?: Record<string, string>) => {
    const client = blobs.getContainerClient(container);
    await client.createIfNotExists();
    const body = typeof content === 'string' ? Buffer.from(content) : content;
    const result = await client
      .getBlockBlobClient(name)
      .uploadData(body, { blobHTTPHeaders: { blobContentType: 'text/plain' }, metadata });
    return result.etag;
  };

  beforeAll(async () => {
    azurite = await startAzurite({ blobPort: 0, queuePort: 0 });
    blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    // Present before the host starts: the first scan must deliver it too.
    await upload('uploads', 'before-start.txt', 'already here');
    host = await startHost({
      appRoot: fixtureAppRoot,
      port: 0,
      logger,
      settings: { HostAppStorage: azurite.connectionString },
      triggers: { queue: false, timer: false },
      blobPollIntervalMs: 100,
      blobInputMaxBytes: 1024,
    });
    await host.drain();
  });

  afterAll(async () => {
    await host?.close();
    await azurite?.stop();
  });

  const seen = async (name: string): Promise<Recorded[]> =>
    (await recorded(host.url, 'blob')).filter((r) => r.name === name);

  it('delivers blobs that existed before start', async () => {
    expect(await seen('before-start.txt')).toHaveLength(1);
  });

  it('delivers a new blob once, with its content and trigger metadata', async () => {
    const etag = await upload('uploads', 'hello.txt', 'hello world', { origin: 'test' });
    await host.drain();
    await host.drain();
    const events = await seen('hello.txt');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      isBuffer: true,
      length: 11,
      text: 'hello world',
      blobTrigger: 'uploads/hello.txt',
      uri: `${azurite.blobEndpoint}/uploads/hello.txt`,
      metadata: { origin: 'test' },
      properties: { length: 11, contentLength: 11, eTag: etag, contentType: 'text/plain', lastModified: expect.any(String) },
    });
  });

  it('delivers a new version of the same blob again', async () => {
    await upload('uploads', 'versioned.txt', 'v1');
    await host.drain();
    await upload('uploads', 'versioned.txt', 'v2');
    await host.drain();
    expect((await seen('versioned.txt')).map((e) => e.text)).toEqual(['v1', 'v2']);
  });

  it('binds {name} across virtual folders', async () => {
    await upload('uploads', 'sub/dir/deep.txt', 'deep');
    await host.drain();
    expect(await seen('sub/dir/deep.txt')).toEqual([expect.objectContaining({ blobTrigger: 'uploads/sub/dir/deep.txt' })]);
  });

  it('passes empty bytes for blobs above the input limit, with the real length in metadata', async () => {
    await upload('uploads', 'big.bin', Buffer.alloc(4096, 7));
    await host.drain();
    const [event] = await seen('big.bin');
    expect(event).toMatchObject({ isBuffer: true, length: 0, properties: { length: 4096 } });
  });

  it('retries a failing delivery and binds every placeholder of the path', async () => {
    await clearRecorded(host.url);
    await upload('flaky', 'north/report.csv', 'a,b');
    await host.drain();
    const attempts = await recorded(host.url, 'blob-flaky');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[0]).toMatchObject({ blobTrigger: 'flaky/north/report.csv', folder: 'north', file: 'report', ext: 'csv' });
  });

  it('gives up after five attempts and logs it', async () => {
    await clearRecorded(host.url);
    await upload('flaky', 'south/always.csv', 'x');
    await host.drain();
    await host.drain();
    expect((await recorded(host.url, 'blob-flaky')).map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(entries.filter((e) => /Giving up on blob flaky\/south\/always\.csv/.test(e.message))).toHaveLength(1);
  });
});
