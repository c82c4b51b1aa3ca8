import { queueServiceClient } from './azure-clients';

const ensured = new Set<string>();

/**
 * Puts a JSON message on a Storage queue, base64-encoded as the Functions queue trigger
 * expects by default. The queue is created on first use in this process.
 */
export async function enqueue(queueName: string, message: unknown): Promise<void> {
  const queue = queueServiceClient().getQueueClient(queueName);
  if (!ensured.has(queueName)) {
    await queue.createIfNotExists();
    ensured.add(queueName);
  }
  await queue.sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
}
