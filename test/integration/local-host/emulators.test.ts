import net from 'node:net';
import https from 'node:https';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import {
  assertPortFree,
  findFreePort,
  PortInUseError,
  startAzurite,
  startCosmosServer,
} from '../../../tools/local/emulators';

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('emulator processes', () => {
  it('starts Azurite blob and queue services, usable with the connection string, and stops them', async () => {
    const [blobPort, queuePort] = [await findFreePort(), await findFreePort()];
    const azurite = await startAzurite({ blobPort, queuePort });
    try {
      expect(azurite.blobEndpoint).toBe(`http://127.0.0.1:${blobPort}/devstoreaccount1`);
      const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('probe');
      await container.create();
      await container.getBlockBlobClient('a.txt').upload('hi', 2);
      expect((await container.getBlobClient('a.txt').downloadToBuffer()).toString()).toBe('hi');
      const queue = new QueueClient(azurite.connectionString, 'probe');
      await queue.create();
      await queue.sendMessage('x');
      expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(1);

      await expect(assertPortFree(blobPort, '127.0.0.1', 'Azurite blob', 'AZURITE_BLOB_PORT')).rejects.toThrow(
        new PortInUseError(
          `Port ${blobPort} (Azurite blob) is already in use on 127.0.0.1; stop what uses it or set AZURITE_BLOB_PORT.`,
        ),
      );
    } finally {
      await azurite.stop();
    }
    expect(await listening(blobPort)).toBe(false);
    expect(await listening(queuePort)).toBe(false);
    await expect(assertPortFree(blobPort, '127.0.0.1', 'Azurite blob')).resolves.toBeUndefined();
  });

  it('refuses to start Azurite on a port that is taken, with a one-line message', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const error = await startAzurite({ blobPort: port, queuePort: 0 }).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `Port ${port} (Azurite blob) is already in use on 127.0.0.1; stop what uses it or choose another port.`,
      );
      expect((error as Error).message).not.toContain('\n');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('starts the Cosmos-protocol server over HTTPS, keeping connections alive, and stops it', async () => {
    const port = await findFreePort();
    const cosmos = await startCosmosServer({ port });
    try {
      expect(cosmos.endpoint).toBe(`https://127.0.0.1:${port}`);
      const status = await new Promise<number>((resolve, reject) => {
        https
          .get(`${cosmos.endpoint}/`, { rejectUnauthorized: false, agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
      expect(status).toBeGreaterThanOrEqual(200);
      // Keep-alive: requests one after another share one TLS connection (the server's own CLI
      // closed each, so every request paid a handshake on both sides).
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
      const sockets = new Set<unknown>();
      for (let i = 0; i < 5; i += 1) {
        await new Promise<void>((resolve, reject) => {
          https
            .get(`${cosmos.endpoint}/`, { agent }, (res) => {
              sockets.add(res.socket);
              expect(res.headers.connection).toBe('keep-alive');
              res.resume();
              res.on('end', resolve);
            })
            .on('error', reject);
        });
      }
      agent.destroy();
      expect(sockets.size).toBe(1);
    } finally {
      await cosmos.stop();
    }
    expect(await listening(port)).toBe(false);
  });
});
