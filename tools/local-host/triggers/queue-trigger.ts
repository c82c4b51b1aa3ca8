import { QueueServiceClient, type DequeuedMessageItem, type QueueClient } from '@azure/storage-queue';
import type { RegisteredFunction } from '../worker/functions-core';
import type { FunctionInvoker } from '../worker/invoke-function';
import type { HostLogger } from '../worker/logger';
import { PollingLoop, type PollOutcome } from './polling-loop';
import { decodeQueueMessage } from './queue-message-encoding';

export interface QueueTriggerOptions {
  fn: RegisteredFunction;
  /** The trigger's queue name with %settings% already resolved. */
  queueName: string;
  connectionString: string;
  batchSize: number;
  maxDequeueCount: number;
  minPollIntervalMs: number;
  maxPollIntervalMs: number;
  /** How long a received message stays invisible while the handler runs. */
  visibilityTimeoutSeconds: number;
  /** Delay before a failed message is visible again (host.json extensions.queues.visibilityTimeout). */
  retryVisibilitySeconds: number;
  invoker: FunctionInvoker;
  logger: HostLogger;
}

/**
 * Drives a queue trigger the way the Functions queue listener does: receive a batch, run the
 * handler per message, delete on success; on failure make the message visible again, and once
 * it has been dequeued maxDequeueCount times move it to `<queue>-poison`. Polls quickly while
 * there is work and backs off (doubling, up to the maximum) while the queue is empty.
 */
export class QueueTrigger {
  readonly #options: QueueTriggerOptions;
  readonly #queue: QueueClient;
  readonly #poison: QueueClient;
  readonly #loop: PollingLoop;
  #ready = false;
  #delayMs: number;

  constructor(options: QueueTriggerOptions) {
    this.#options = options;
    const service = QueueServiceClient.fromConnectionString(options.connectionString);
    this.#queue = service.getQueueClient(options.queueName);
    this.#poison = service.getQueueClient(`${options.queueName}-poison`);
    this.#delayMs = options.minPollIntervalMs;
    this.#loop = new PollingLoop(
      () => this.#poll(),
      (error) =>
        options.logger({
          level: 'warning',
          category: 'host',
          message: `Queue trigger could not poll "${options.queueName}": ${describe(error)}`,
          functionName: options.fn.name,
        }),
    );
  }

  start(): void {
    this.#loop.start();
  }

  drain(): Promise<void> {
    this.#delayMs = this.#options.minPollIntervalMs;
    return this.#loop.drain();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  async #poll(): Promise<PollOutcome> {
    if (!this.#ready) {
      await this.#queue.createIfNotExists();
      this.#ready = true;
    }
    const { receivedMessageItems } = await this.#queue.receiveMessages({
      numberOfMessages: this.#options.batchSize,
      visibilityTimeout: this.#options.visibilityTimeoutSeconds,
    });
    if (receivedMessageItems.length === 0) {
      const delayMs = this.#delayMs;
      this.#delayMs = Math.min(this.#delayMs * 2, this.#options.maxPollIntervalMs);
      return { idle: true, delayMs };
    }
    this.#delayMs = this.#options.minPollIntervalMs;
    await Promise.all(receivedMessageItems.map((message) => this.#process(message)));
    return { idle: false, delayMs: 0 };
  }

  async #process(message: DequeuedMessageItem): Promise<void> {
    const { fn, invoker, logger, queueName } = this.#options;
    const text = decodeQueueMessage(message.messageText);
    try {
      await invoker.invoke(fn, {
        reason: `New queue message detected on '${queueName}'`,
        inputData: [{ name: fn.triggerName, data: { string: text } }],
        triggerMetadata: {
          QueueTrigger: { string: text },
          Id: { string: message.messageId },
          DequeueCount: { int: message.dequeueCount },
          InsertionTime: { string: message.insertedOn.toISOString() },
          ExpirationTime: { string: message.expiresOn.toISOString() },
          NextVisibleTime: { string: message.nextVisibleOn.toISOString() },
          PopReceipt: { string: message.popReceipt },
        },
      });
    } catch {
      await this.#handleFailure(message).catch((error: unknown) =>
        logger({
          level: 'warning',
          category: 'host',
          message: `Could not return message ${message.messageId} to "${queueName}": ${describe(error)}`,
          functionName: fn.name,
        }),
      );
      return;
    }
    await this.#queue.deleteMessage(message.messageId, message.popReceipt).catch((error: unknown) =>
      logger({
        level: 'warning',
        category: 'host',
        message: `Processed message ${message.messageId} but could not delete it: ${describe(error)}`,
        functionName: fn.name,
      }),
    );
  }

  async #handleFailure(message: DequeuedMessageItem): Promise<void> {
    const { queueName, maxDequeueCount, logger, fn } = this.#options;
    if (message.dequeueCount >= maxDequeueCount) {
      await this.#poison.createIfNotExists();
      // The original text, still encoded as it was, as the runtime copies it.
      await this.#poison.sendMessage(message.messageText);
      await this.#queue.deleteMessage(message.messageId, message.popReceipt);
      logger({
        level: 'warning',
        category: 'host',
        message: `Message ${message.messageId} failed ${message.dequeueCount} times; moved to "${queueName}-poison".`,
        functionName: fn.name,
      });
      return;
    }
    await this.#queue.updateMessage(
      message.messageId,
      message.popReceipt,
      message.messageText,
      this.#options.retryVisibilitySeconds,
    );
  }
}

function describe(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
