import type { LocalHost } from '../../../tools/local-host/host';
import { clearRecorded, collectingLogger, recorded, request, startQueueHost, type QueueHost } from './helpers';

/** `AzureWebJobs.<name>.Disabled`, as the Functions runtime honours it: the trigger is ignored. */
describe('local host: a function disabled by app setting', () => {
  const { logger, entries } = collectingLogger();
  let stack: QueueHost;
  let host: LocalHost;

  beforeAll(async () => {
    stack = await startQueueHost(logger, {
      'AzureWebJobs.queue-seen.Disabled': 'true',
      'AzureWebJobs.optional-name.Disabled': '1',
      'AzureWebJobs.items-list.Disabled': 'false',
    });
    host = stack.host;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('does not deliver its queue messages, answers 404 on its route, and says so in the log; others run', async () => {
    // The fixture's recorder lives as long as the test process, so another file's host may have filled it.
    await clearRecorded(host.url);
    const queue = stack.queues.getQueueClient('work-items');
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
