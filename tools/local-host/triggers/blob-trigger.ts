import { BlobServiceClient, type BlobItem, type ContainerClient } from '@azure/storage-blob';
import type { RpcTypedData } from '../worker/core-types';
import type { RegisteredFunction } from '../worker/functions-core';
import { parseBlobPath, type BlobPathPattern } from './blob-path';
import type { FunctionInvoker } from '../worker/invoke-function';
import type { HostLogger } from '../worker/logger';
import { pause, PollingLoop, type PollOutcome } from './polling-loop';

export interface BlobTriggerOptions {
  fn: RegisteredFunction;
  /** The trigger's path with %settings% already resolved. */
  path: string;
  connectionString: string;
  pollIntervalMs: number;
  /**
   * Largest blob whose content is passed to the handler. The Functions runtime always passes the
   * content; locally, bigger blobs arrive as empty bytes so the host's memory stays bounded, and
   * the handler reads them itself from triggerMetadata (uri / blobTrigger / properties.length).
   */
  maxInputBytes: number;
  /** Attempts per blob version before giving up (the runtime then writes to a poison queue). */
  maxAttempts: number;
  invoker: FunctionInvoker;
  logger: HostLogger;
}

/**
 * Drives a blob trigger by scanning its container, which covers both the `LogsAndContainerScan`
 * and the `EventGrid` sources locally. Each blob version (name + ETag) is delivered once,
 * including blobs that existed before the host started, as the runtime's first scan does.
 */
export class BlobTrigger {
  readonly #options: BlobTriggerOptions;
  readonly #pattern: BlobPathPattern;
  readonly #container: ContainerClient;
  /** Blob receipts: the ETag last delivered (or given up on) per blob name. */
  readonly #receipts = new Map<string, string>();
  readonly #loop: PollingLoop;
  #containerReady = false;

  constructor(options: BlobTriggerOptions) {
    this.#options = options;
    this.#pattern = parseBlobPath(options.path);
    this.#container = BlobServiceClient.fromConnectionString(options.connectionString).getContainerClient(
      this.#pattern.container,
    );
    this.#loop = new PollingLoop(
      () => this.#poll(),
      (error) =>
        options.logger({
          level: 'warning',
          category: 'host',
          message: `Blob trigger could not scan container "${this.#pattern.container}": ${describe(error)}`,
          functionName: options.fn.name,
        }),
    );
  }

  start(): void {
    this.#loop.start();
  }

  drain(): Promise<void> {
    return this.#loop.drain();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  async #poll(): Promise<PollOutcome> {
    if (!this.#containerReady) {
      await this.#container.createIfNotExists();
      this.#containerReady = true;
    }
    let delivered = 0;
    for await (const item of this.#container.listBlobsFlat({ prefix: this.#pattern.prefix, includeMetadata: true })) {
      if (this.#loop.stopped) break;
      const values = this.#pattern.match(item.name);
      const etag = item.properties.etag ?? '';
      if (!values || this.#receipts.get(item.name) === etag) continue;
      delivered++;
      await this.#deliver(item, values);
      if (!this.#loop.stopped) this.#receipts.set(item.name, etag);
    }
    return { idle: delivered === 0, delayMs: this.#options.pollIntervalMs };
  }

  async #deliver(item: BlobItem, values: Record<string, string>): Promise<void> {
    const { fn, invoker, logger, maxAttempts, maxInputBytes } = this.#options;
    const blob = this.#container.getBlobClient(item.name);
    const length = item.properties.contentLength ?? 0;
    let content: Buffer;
    try {
      content = length <= maxInputBytes ? await blob.downloadToBuffer() : Buffer.alloc(0);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return; // deleted since the listing
      throw error;
    }

    const properties = {
      Length: length,
      ContentLength: length,
      // Listings carry the bare value; the runtime reports the header form, quoted.
      ETag: quoteEtag(item.properties.etag),
      ContentType: item.properties.contentType,
      ContentEncoding: item.properties.contentEncoding,
      ContentMD5: item.properties.contentMD5 ? Buffer.from(item.properties.contentMD5).toString('base64') : undefined,
      LastModified: item.properties.lastModified?.toISOString(),
      CreatedOn: item.properties.createdOn?.toISOString(),
      BlobType: item.properties.blobType,
    };
    const triggerMetadata: Record<string, RpcTypedData> = {
      BlobTrigger: { string: `${this.#pattern.container}/${item.name}` },
      Uri: { string: blob.url },
      Properties: { json: JSON.stringify(properties) },
      Metadata: { json: JSON.stringify(item.metadata ?? {}) },
    };
    for (const [name, value] of Object.entries(values)) triggerMetadata[name] = { string: value };

    for (let attempt = 1; attempt <= maxAttempts && !this.#loop.stopped; attempt++) {
      try {
        await invoker.invoke(fn, {
          reason: `New blob detected: ${this.#pattern.container}/${item.name}${attempt > 1 ? ` (attempt ${attempt})` : ''}`,
          inputData: [{ name: fn.triggerName, data: { bytes: content } }],
          triggerMetadata,
        });
        return;
      } catch {
        if (attempt === maxAttempts) {
          logger({
            level: 'error',
            category: 'host',
            message: `Giving up on blob ${this.#pattern.container}/${item.name} (ETag ${item.properties.etag}) after ${maxAttempts} attempts; Azure would move it to the webjobs-blobtrigger-poison queue.`,
            functionName: fn.name,
          });
          return;
        }
        await pause(100 * 2 ** (attempt - 1), () => this.#loop.stopped);
      }
    }
  }
}

function describe(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}

function quoteEtag(etag: string | undefined): string | undefined {
  return etag === undefined || etag.startsWith('"') ? etag : `"${etag}"`;
}
