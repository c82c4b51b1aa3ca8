import { storeProbes } from '../adapters/azure-clients';

export interface Check {
  ok: boolean;
  ms: number;
}
export interface Health {
  status: 'ok' | 'unavailable';
  checks: { cosmos: Check; storage: Check };
}

const TIMEOUT_MS = 3000;

async function timed(probe: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch {
    return { ok: false, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness plus reachability of Cosmos DB (the database) and Storage (the blob service). */
export async function checkHealth(): Promise<Health> {
  const [cosmos, storage] = await Promise.all([
    timed(storeProbes.cosmos),
    timed(storeProbes.storage),
  ]);
  return { status: cosmos.ok && storage.ok ? 'ok' : 'unavailable', checks: { cosmos, storage } };
}
