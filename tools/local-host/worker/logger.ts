import { format } from 'node:util';

export type HostLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical';

export interface HostLogEntry {
  level: HostLogLevel;
  /** host: the local host itself; system: the @azure/functions library; user: context.log in a function. */
  category: 'host' | 'system' | 'user';
  message: string;
  functionName?: string;
  invocationId?: string;
  error?: unknown;
}

export type HostLogger = (entry: HostLogEntry) => void;

const severity: Record<HostLogLevel | 'none', number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

export function isHostLogLevel(value: unknown): value is HostLogLevel {
  return typeof value === 'string' && value in severity && value !== 'none';
}

/**
 * One line per entry on stderr/stdout, the way Core Tools prints them. Information and below
 * wait for the end of the event loop's turn and go out together (one write for many lines under
 * load, where a write each cost ~40 µs); a warning or error first flushes them, then goes out at
 * once, so the order holds.
 */
export function consoleLogger(minLevel: HostLogLevel = 'information'): HostLogger {
  return (entry) => {
    if (severity[entry.level] < severity[minLevel]) return;
    const where = entry.functionName
      ? ` ${entry.functionName}${entry.invocationId ? ` (${entry.invocationId})` : ''}`
      : '';
    const line = `[${new Date().toISOString()}] ${entry.level}${where}: ${entry.message}`;
    const text = entry.error === undefined ? `${line}\n` : `${line}\n${format(entry.error)}\n`;
    const out = (stdout ??= bufferedWriter(process.stdout));
    if (severity[entry.level] < severity.warning) return out.write(text);
    out.flush();
    process.stderr.write(text);
  };
}

/** One for the process: every logger's lines share it, in order. */
let stdout: ReturnType<typeof bufferedWriter> | undefined;

function bufferedWriter(stream: NodeJS.WritableStream): { write(text: string): void; flush(): void } {
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  // Whatever is still waiting when the process ends (exit, or an uncaught error) is written then.
  process.once('exit', flush);
  return {
    write(text) {
      if (pending === '') setImmediate(flush);
      pending += text;
    },
    flush,
  };
}

/** Maps the library's level names ('none' included) onto ours. */
export function toHostLogLevel(level: string): HostLogLevel {
  return isHostLogLevel(level) ? level : 'information';
}
