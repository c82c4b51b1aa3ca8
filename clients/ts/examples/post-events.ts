/**
 * Example: a point-of-sale integration posting an event, safely retried. The Idempotency-Key is
 * chosen once per event and sent on every attempt, so a retry after a lost answer or a 503 gets
 * the first response and stores nothing twice (PRODUCT §2, §10b).
 */
import { randomUUID } from 'node:crypto';
import type { components, DaybreakClient } from '../src/index';

type EventInput = components['schemas']['EventInput'];
type StoredEvent = components['schemas']['Event'];

export async function postEvent(client: DaybreakClient, event: EventInput, options: { attempts?: number; key?: string } = {}): Promise<StoredEvent> {
  const key = options.key ?? randomUUID();
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { data, error, response } = await client.POST('/api/v1/events', { body: event, params: { header: { 'idempotency-key': key } } });
      if (data) return data;
      // A transient fault: wait as asked (Retry-After, seconds), then the same request again.
      if (response.status === 503 && attempt < attempts) {
        await pause(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      throw new Error(`${response.status} ${error?.code}: ${error?.detail}`);
    } catch (error) {
      // The connection dropped: the event may be stored; the same key makes the retry safe.
      if (error instanceof TypeError && attempt < attempts) {
        await pause(2 ** attempt * 100);
        continue;
      }
      throw error;
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
