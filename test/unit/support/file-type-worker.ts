import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/*
 * The real file-type library for unit tests. It is ESM-only: plain Node 20 require()s it
 * (shared/adapters/media-type.ts does), Jest in CommonJS mode cannot load it at all. A test
 * that needs magic-byte detection for real mocks the module name with this, so
 * mediaTypeFromMagic runs unchanged and the library runs, unchanged, in a worker thread that
 * Node loads natively:
 *
 *   jest.mock('file-type', () => fileTypeInWorker, { virtual: true });
 *   afterAll(() => closeFileTypeWorker());
 */
let worker: Worker | undefined;
let asked = 0;
const waiting = new Map<number, { resolve: (mime: string | undefined) => void; reject: (error: Error) => void }>();

const LIBRARY = pathToFileURL(join(__dirname, '../../../node_modules/file-type/index.js')).href;
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const library = import(${JSON.stringify(LIBRARY)});
parentPort.on('message', async ({ id, bytes }) => {
  try {
    const found = await (await library).fileTypeFromBuffer(bytes);
    parentPort.postMessage({ id, mime: found && found.mime });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});`;

function started(): Worker {
  if (worker) return worker;
  worker = new Worker(SOURCE, { eval: true });
  worker.unref();
  worker.on('message', ({ id, mime, error }: { id: number; mime?: string; error?: string }) => {
    const asker = waiting.get(id)!;
    waiting.delete(id);
    if (error === undefined) asker.resolve(mime ?? undefined);
    else asker.reject(new Error(error));
  });
  worker.on('error', (error) => {
    for (const asker of waiting.values()) asker.reject(error);
    waiting.clear();
    worker = undefined;
  });
  return worker;
}

/** Stands in for the module `file-type`: its fileTypeFromBuffer, answered by the library itself. */
export const fileTypeInWorker = {
  fileTypeFromBuffer(bytes: Uint8Array): Promise<{ mime: string } | undefined> {
    const id = ++asked;
    return new Promise<string | undefined>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      started().postMessage({ id, bytes: new Uint8Array(bytes) });
    }).then((mime) => (mime ? { mime } : undefined));
  },
};

export async function closeFileTypeWorker(): Promise<void> {
  await worker?.terminate();
  worker = undefined;
}
