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

/** One line per entry on stderr/stdout, the way Core Tools prints them. */
export function consoleLogger(minLevel: HostLogLevel = 'information'): HostLogger {
  return (entry) => {
    if (severity[entry.level] < severity[minLevel]) return;
    const where = entry.functionName
      ? ` ${entry.functionName}${entry.invocationId ? ` (${entry.invocationId})` : ''}`
      : '';
    const line = `[${new Date().toISOString()}] ${entry.level}${where}: ${entry.message}`;
    const stream = severity[entry.level] >= severity.warning ? process.stderr : process.stdout;
    stream.write(entry.error === undefined ? `${line}\n` : `${line}\n${format(entry.error)}\n`);
  };
}

/** Maps the library's level names ('none' included) onto ours. */
export function toHostLogLevel(level: string): HostLogLevel {
  return isHostLogLevel(level) ? level : 'information';
}
