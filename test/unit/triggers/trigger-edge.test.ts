import { InvocationContext } from '@azure/functions';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { runTrigger } from '../../../shared/triggers/trigger';

/**
 * The edge every queue, timer and blob trigger goes through: one request id on every line, the
 * outcome logged, a failure logged with its stack and thrown again (so the runtime retries), and
 * a span per invocation with the same request id.
 */
const exporter = new InMemorySpanExporter();
beforeAll(() => trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })));
afterAll(() => trace.disable());
beforeEach(() => exporter.reset());

function context(): { context: InvocationContext; lines: { level: string; entry: Record<string, unknown> }[] } {
  const lines: { level: string; entry: Record<string, unknown> }[] = [];
  const context = new InvocationContext({
    invocationId: 'inv-1',
    functionName: 'match-event',
    logHandler: (level, ...args) => lines.push({ level, entry: JSON.parse(String(args[0])) as Record<string, unknown> }),
  });
  return { context, lines };
}

it('logs the outcome with the invocation id as request id, in a span of its own', async () => {
  const { context: ctx, lines } = context();
  await runTrigger(ctx, 'queue', async ({ requestId, log }) => {
    log.info('matched', { eventId: 'e1' });
    return { events: 1, requestIdSeen: requestId };
  });
  expect(lines.map((l) => [l.level, l.entry.message])).toEqual([['information', 'matched'], ['information', 'done']]);
  expect(lines.every((l) => l.entry.requestId === 'inv-1' && l.entry.function === 'match-event')).toBe(true);
  expect(lines[1]!.entry).toMatchObject({ trigger: 'queue', events: 1, requestIdSeen: 'inv-1' });
  const [span] = exporter.getFinishedSpans();
  expect(span?.name).toBe('queue match-event');
  expect(span?.attributes).toMatchObject({ 'daybreak.request_id': 'inv-1', 'daybreak.outcome': 'done', 'faas.trigger': 'pubsub' });
});

it('logs a failure with its stack and throws it again, so the runtime retries', async () => {
  const { context: ctx, lines } = context();
  await expect(runTrigger(ctx, 'timer', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.level).toBe('error');
  expect(lines[0]!.entry).toMatchObject({ message: 'failed', trigger: 'timer', requestId: 'inv-1' });
  expect(String(lines[0]!.entry.error)).toContain('Error: store down');
  const [span] = exporter.getFinishedSpans();
  expect(span?.status.code).toBe(2); // SpanStatusCode.ERROR
  expect(span?.attributes['daybreak.outcome']).toBe('failed');
  expect(span?.events.map((e) => e.name)).toContain('exception');
});

it('loads and starts nothing without an Application Insights connection string (locally, in tests)', () => {
  const loaded = jest.fn();
  jest.doMock('@azure/monitor-opentelemetry', () => {
    loaded();
    return {};
  });
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startTelemetry } = require('../../../shared/adapters/telemetry') as typeof import('../../../shared/adapters/telemetry');
    const credential = jest.fn();
    expect(startTelemetry(credential, {})).toBe(false);
    expect(credential).not.toHaveBeenCalled();
  });
  expect(loaded).not.toHaveBeenCalled();
});

it.each([['trigger', '../../../shared/triggers/trigger'], ['route', '../../../shared/http/route']])(
  'in Azure the %s edge starts telemetry before it loads the Functions library, so the instrumentation patches it as it loads',
  (_name, edge) => {
    const order: string[] = [];
    jest.doMock('@azure/monitor-opentelemetry', () => ({ useAzureMonitor: () => order.push('azure monitor') }));
    jest.doMock('@opentelemetry/instrumentation', () => ({ ...jest.requireActual('@opentelemetry/instrumentation'), registerInstrumentations: () => order.push('instrumentations') }));
    // Constructed for real it would hook every later require of this test worker.
    jest.doMock('@azure/functions-opentelemetry-instrumentation', () => ({ AzureFunctionsInstrumentation: class {} }));
    jest.doMock('@azure/functions', () => (order.push('@azure/functions'), jest.requireActual('@azure/functions')));
    jest.doMock('../../../shared/adapters/azure-clients', () => ({ ...jest.requireActual('../../../shared/adapters/azure-clients'), azureCredential: () => ({ getToken: () => Promise.resolve(null) }) }));
    const before = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
    process.env.APPLICATIONINSIGHTS_CONNECTION_STRING = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:1/';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(edge);
      });
    } finally {
      if (before === undefined) delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
      else process.env.APPLICATIONINSIGHTS_CONNECTION_STRING = before;
      jest.dontMock('@azure/functions-opentelemetry-instrumentation');
      jest.dontMock('@azure/monitor-opentelemetry');
      jest.dontMock('@opentelemetry/instrumentation');
      jest.dontMock('@azure/functions');
      jest.dontMock('../../../shared/adapters/azure-clients');
    }
    expect(order.slice(0, 3)).toEqual(['azure monitor', 'instrumentations', '@azure/functions']);
  },
);
