import { QueueServiceClient } from '@azure/storage-queue';
import { startAzurite, type AzuriteHandle } from '../../../tools/local/emulators';
import { startHost, type LocalHost } from '../../../tools/local-host/host';
import { collectingLogger, fixtureAppRoot, recorded, request } from './helpers';

/** `AzureWebJobs.<name>.Disabled`, as the Functions runtime honours it: the trigger is ignored. */
describe('local host: a function disabled by app setting', () => {
  const { logger, entries } = collectingLogger();
  let azurite: AzuriteHandle;
  let host: LocalHost;

  beforeAll(async () => {
    azurite = await startAzurite({ blobPort: 0, queuePort: 0 });
    host = await startHost({
      appRoot: fixtureAppRoot,
      port: 0,
      logger,
      settings: {
        HostAppStorage: azurite.connectionString,
        FAILING_QUEUE: 'work-fails',
        'AzureWebJobs.queue-seen.Disabled': 'true',
        'AzureWebJobs.optional-name.Disabled': '1',
        'AzureWebJobs.items-list.Disabled': 'false',
      },
      triggers: { blob: false, timer: false },
      queuePollIntervalMs: 50,
    });
  });

  afterAll(async () => {
    await host?.close();
    await azurite?.stop();
  });

  it('does not deliver its queue messages, answers 404 on its route, and says so in the log; others run', async () => {
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('work-items');
    await queue.createIfNotExists();
    await queue.sendMessage(Buffer.from('{"orderId":7}').toString('base64'));
    await new Promise((r) => setTimeout(r, 500));
    await host.drain();
    expect(await recorded(host.url, 'queue')).toEqual([]);
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(1);

    expect((await request(`${host.url}/api/greet/ana`)).status).toBe(404);
    expect((await request(`${host.url}/api/items`)).status).toBe(200);
    expect(host.functions.find((f) => f.name === 'queue-seen')?.active).toBe(false);
    expect(host.functions.find((f) => f.name === 'items-list')?.active).toBe(true);
    expect(entries.map((e) => e.message)).toContain('Function disabled by AzureWebJobs.queue-seen.Disabled.');
  });
});
