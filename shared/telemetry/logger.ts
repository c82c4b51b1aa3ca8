import type { InvocationContext } from '@azure/functions';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Structured, one JSON object per line, always with the request id; ids only, never personal values. */
export function requestLogger(context: InvocationContext, requestId: string): Logger {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
    context[level](JSON.stringify({ level, message, requestId, function: context.functionName, ...fields }));
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
