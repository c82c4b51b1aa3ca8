import type { QueueServiceClient } from '@azure/storage-queue';
import type { LocalHost } from '../../../tools/local-host/host';
import { collectingLogger, recorded, startQueueHost, type QueueHost } from './helpers';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('local host: queue triggers against Azurite', () => {
  const { logger, entries } = collectingLogger();
  let stack: QueueHost;
  let host: LocalHost;
  let queues: QueueServiceClient;

  beforeAll(async () => {
    stack = await startQueueHost(logger);
    ({ host, queues } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers a base64 message, parsed as JSON, with its metadata, and deletes it', async () => {
    const queue = queues.getQueueClient('work-items');
    await queue.createIfNotExists();
    const sent = await queue.sendMessage(base64(JSON.stringify({ orderId: 42, note: 'ünïcödé' })));
    await host.drain();

    const events = (await recorded(host.url, 'queue')).filter((e) => e.id === sent.messageId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      message: { orderId: 42, note: 'ünïcödé' },
      dequeueCount: 1,
      insertionTime: sent.insertedOn.toISOString(),
      expirationTime: sent.expiresOn.toISOString(),
      nextVisibleTime: expect.any(String),
      popReceipt: expect.any(String),
    });
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
  });

  it('passes a message that is not base64 through as raw text', async () => {
    const queue = queues.getQueueClient('work-items');
    const sent = await queue.sendMessage('plain text, not base64!');
    await host.drain();
    const [event] = (await recorded(host.url, 'queue')).filter((e) => e.id === sent.messageId);
    expect(event?.message).toBe('plain text, not base64!');
  });

  it('retries a failing message up to maxDequeueCount, then moves it to <queue>-poison', async () => {
    const queue = queues.getQueueClient('work-fails');
    await queue.createIfNotExists();
    const text = base64('{"bad":true}');
    await queue.sendMessage(text);
    await host.drain();

    // host.json of the fixture sets maxDequeueCount 3.
    expect((await recorded(host.url, 'queue-fails')).map((e) => e.dequeueCount)).toEqual([1, 2, 3]);
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
    const poison = await queues.getQueueClient('work-fails-poison').peekMessages({ numberOfMessages: 32 });
    expect(poison.peekedMessageItems.map((m) => m.messageText)).toEqual([text]);
    expect(entries.some((e) => /moved to "work-fails-poison"/.test(e.message))).toBe(true);
  });
});
