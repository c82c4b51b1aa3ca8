import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The host.json settings the local host honours; defaults are the Functions host's. */
export interface HostJsonSettings {
  /** `extensions.http.routePrefix`; '' serves routes at the root. */
  routePrefix: string;
  queues: {
    maxDequeueCount: number;
    batchSize: number;
    maxPollingIntervalMs: number;
    /** Delay before a failed message becomes visible again. */
    visibilityTimeoutMs: number;
  };
}

export function readHostJson(appRoot: string): HostJsonSettings {
  const file = path.join(appRoot, 'host.json');
  const raw = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as unknown) : {};
  const extensions = objectAt(raw, 'extensions');
  const http = objectAt(extensions, 'http');
  const queues = objectAt(extensions, 'queues');

  const prefix = http.routePrefix;
  return {
    routePrefix: typeof prefix === 'string' ? prefix.replace(/^\/+|\/+$/g, '') : 'api',
    queues: {
      maxDequeueCount: positiveInt(queues.maxDequeueCount, 5),
      batchSize: Math.min(32, positiveInt(queues.batchSize, 16)),
      maxPollingIntervalMs: durationMs(queues.maxPollingInterval) ?? 2000,
      visibilityTimeoutMs: durationMs(queues.visibilityTimeout) ?? 0,
    },
  };
}

/** host.json durations are TimeSpans ("00:00:02", "1.00:00:00") or, for some settings, milliseconds. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, seconds, fraction] = match;
  const ms =
    ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Number(seconds) * 1000 +
    Math.round(Number(`0.${fraction ?? '0'}`) * 1000);
  return ms;
}

function objectAt(value: unknown, key: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {};
  const found = (value as Record<string, unknown>)[key];
  return typeof found === 'object' && found !== null ? (found as Record<string, unknown>) : {};
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}
