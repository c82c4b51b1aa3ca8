import type { components } from '../../../clients/ts/src/index';

/** An event as the API returns it. */
export type StoredEvent = components['schemas']['Event'];

/** A time as a person reads it, in UTC (the day filters are UTC days). */
export const formatTime = (iso: string): string =>
  new Date(iso).toLocaleString('en-NZ', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

/** An event type as a person reads it: 'cash-theft' → 'Cash theft'. */
export const typeName = (type: string): string => (type.startsWith('pos-') ? 'POS' + type.slice(3) : type[0]!.toUpperCase() + type.slice(1)).replace(/-/g, ' ');
