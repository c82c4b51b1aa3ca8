import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * Back-pressure for streamed responses, which the Functions library does not give us.
 *
 * With HTTP streaming on, the library receives each request from the host on a small HTTP
 * server in this worker and writes the handler's body to that request's response chunk by
 * chunk, without waiting for the connection to drain and without telling the handler when the
 * client has gone (Azure/azure-functions-nodejs-library#294). Left alone, a source faster than
 * the client is read to the end and buffered in the worker.
 *
 * Node publishes every incoming request on the `http.server.request.start` diagnostics channel,
 * the library's included, so we can see that response, keyed by the `x-ms-invocation-id` header
 * the host sends, and pace a streamed body by it: before producing the next chunk, wait while
 * the connection is over its high-water mark; stop when it has closed. Public Node APIs only;
 * nothing of the library is patched. Without streaming (no proxy request) nothing is paced.
 */
const INVOCATION_ID_HEADER = 'x-ms-invocation-id';
const responses = new Map<string, ServerResponse>();
let watching = false;

/** Starts noting the worker's proxy responses by invocation id (once per process). */
export function watchStreamResponses(): void {
  if (watching) return;
  watching = true;
  subscribe('http.server.request.start', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const id = request.headers[INVOCATION_ID_HEADER];
    if (typeof id !== 'string') return;
    responses.set(id, response);
    response.once('close', () => {
      if (responses.get(id) === response) responses.delete(id);
    });
  });
}

export interface StreamSink {
  /** Resolves when the next chunk may be produced; false when the connection is gone (stop reading). */
  ready(): Promise<boolean>;
}

const unpaced: StreamSink = { ready: async () => true };

/** The pacing for one invocation's streamed body; a no-op when its response is not a proxied one. */
export function streamSinkFor(invocationId: string): StreamSink {
  const res = responses.get(invocationId);
  if (!res) return unpaced;
  const gone = (): boolean => res.destroyed || res.closed;
  return {
    async ready() {
      if (gone()) return false;
      if (!res.writableNeedDrain) return true;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
      return !gone();
    },
  };
}
