import '../telemetry/start';
import { app, type InvocationContext } from '../adapters/functions-runtime';
import type { z } from 'zod';
import { requestLogger, type Logger } from '../telemetry/logger';
import { traced } from '../telemetry/tracing';

/**
 * The one edge for triggers that are not HTTP (queues, timers, blobs), as `httpRoute` is for
 * requests: each invocation gets a request id (the invocation's id), a structured logger that
 * stamps it on every line, a span with the outcome, and one way to fail: the error is logged with
 * its stack and thrown again, so the runtime retries (a queue message is delivered again, then
 * kept in the poison queue; a timer runs at its next time). A queue message that does not parse
 * is dropped with an error line: delivering it again would fail the same way.
 */

export interface TriggerContext {
  requestId: string;
  log: Logger;
}
/** What a handler did, in ids and counts: logged with the invocation's last line. */
export type Outcome = Record<string, unknown> | void;

type Kind = 'queue' | 'timer' | 'blob';


export async function runTrigger(context: InvocationContext, kind: Kind, work: (t: TriggerContext) => Promise<Outcome>): Promise<void> {
  const requestId = context.invocationId;
  const log = requestLogger(context, requestId);
  const started = Date.now();
  await traced(`${kind} ${context.functionName}`, { 'daybreak.request_id': requestId, 'faas.trigger': kind === 'blob' ? 'datasource' : kind === 'timer' ? 'timer' : 'pubsub' }, async (span) => {
    try {
      const outcome = await work({ requestId, log });
      span.setAttribute('daybreak.outcome', 'done');
      log.info('done', { trigger: kind, ms: Date.now() - started, ...(outcome ?? {}) });
    } catch (error) {
      span.setAttribute('daybreak.outcome', 'failed');
      log.error('failed', { trigger: kind, ms: Date.now() - started, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      throw error;
    }
  });
}

export function queueTrigger<S extends z.ZodType>(spec: { name: string; queueName: string; schema: S; handler: (message: z.infer<S>, t: TriggerContext) => Promise<Outcome> }): void {
  app.storageQueue(spec.name, {
    queueName: spec.queueName,
    connection: 'AzureWebJobsStorage',
    handler: (message, context) =>
      runTrigger(context, 'queue', async (t) => {
        const parsed = spec.schema.safeParse(message);
        if (!parsed.success) {
          t.log.error('Malformed message dropped', { queue: spec.queueName, issues: parsed.error.issues.length });
          return { dropped: true };
        }
        return spec.handler(parsed.data, t);
      }),
  });
}

export function timerTrigger(spec: { name: string; schedule: string; handler: (t: TriggerContext) => Promise<Outcome> }): void {
  app.timer(spec.name, { schedule: spec.schedule, handler: (_timer, context) => runTrigger(context, 'timer', spec.handler) });
}

/** Event Grid-sourced, as Flex Consumption requires; the handler gets the blob's path (the bytes are its to stream). */
export function blobTrigger(spec: { name: string; path: string; handler: (blobPath: string, t: TriggerContext) => Promise<Outcome> }): void {
  app.storageBlob(spec.name, {
    path: spec.path,
    connection: 'AzureWebJobsStorage',
    source: 'EventGrid',
    handler: (_ignored: unknown, context: InvocationContext) => runTrigger(context, 'blob', (t) => spec.handler(String(context.triggerMetadata?.blobTrigger ?? ''), t)),
  });
}
