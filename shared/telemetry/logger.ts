export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What the logger writes through: the Functions invocation context (its log levels and function name). */
export interface LogSink {
  functionName: string;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Structured, one JSON object per line, always with the request id; ids only, never personal values. */
export function requestLogger(context: LogSink, requestId: string): Logger {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
    context[level](JSON.stringify({ level, message, requestId, function: context.functionName, ...fields }));
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
