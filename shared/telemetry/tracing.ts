import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('daybreak');

/**
 * Runs `work` in a span of its own (a child of the invocation's span where the Functions
 * instrumentation made one): its attributes, its failure recorded. Without a registered provider
 * (locally) the OpenTelemetry API does nothing and costs next to nothing.
 */
export function traced<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
