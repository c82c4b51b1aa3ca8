import { queueServiceClient } from './azure-clients';

const ensured = new Set<string>();

/**
 * Puts a JSON message on a Storage queue, base64-encoded as the Functions queue trigger
 * expects by default. The queue is created on first use in this process.
 */
export async function enqueue(queueName: string, message: unknown, options: { visibleInSeconds?: number } = {}): Promise<void> {
  const queue = queueServiceClient().getQueueClient(queueName);
  if (!ensured.has(queueName)) {
    await queue.createIfNotExists();
    ensured.add(queueName);
  }
  // A delay (a retry's backoff) keeps the message invisible until then: at most 7 days on Storage queues.
  const delay = options.visibleInSeconds ? { visibilityTimeout: Math.min(Math.ceil(options.visibleInSeconds), 7 * 86_400) } : {};
  await queue.sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'), delay);
}
