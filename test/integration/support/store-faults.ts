import { overdueAuditOutbox } from '../../../shared/audit/audit-outbox-repository';
import { queueServiceClient } from '../../../shared/adapters/azure-clients';
import { MATCH_QUEUE, REMATCH_QUEUE } from '../../../shared/matching/match-queue-name';
import { call, tokenFor, type CallResult } from './api';

/** What tests of the app under store faults (a fault proxy at the Cosmos edge, ownStack) share. */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A moment past `ms` from now, with a minute to spare: when a finisher's `now` makes work that overdue. */
export const later = (ms: number) => new Date(Date.now() + ms + 60_000);

interface Answer {
  op: string;
  status: number | 'network';
  retryAfter: string | null;
}

/** Every answer met under faults: none may be a 500, and every 503 carries Retry-After. */
export function answersLog() {
  const answers: Answer[] = [];
  const send = async (op: string, method: string, path: string, options: Parameters<typeof call>[2] = {}): Promise<CallResult | undefined> => {
    try {
      const res = await call(method, path, options);
      answers.push({ op, status: res.status, retryAfter: res.headers.get('retry-after') });
      return res;
    } catch {
      answers.push({ op, status: 'network', retryAfter: null });
      return undefined;
    }
  };
  /** `send`, tried again (up to `tries` in all) while the answer is a 503, after its Retry-After (at most 0.5 s here). */
  const retrying = async (tries: number, op: string, method: string, path: string, options: Parameters<typeof call>[2] = {}): Promise<CallResult[]> => {
    const got: CallResult[] = [];
    for (let i = 0; i < tries; i++) {
      const res = await send(op, method, path, options);
      if (res) got.push(res);
      if (res && res.status !== 503) break;
      await sleep(Math.min(500, 1000 * Number(res?.headers.get('retry-after') ?? 0.2)) * Math.random());
    }
    return got;
  };
  const check = () => {
    expect(answers.filter((a) => a.status === 500)).toEqual([]);
    expect(answers.filter((a) => a.status === 503 && !/^\d+$/.test(a.retryAfter ?? ''))).toEqual([]);
  };
  const tally = () => answers.reduce<Record<string, number>>((m, a) => ({ ...m, [`${a.op} ${a.status}`]: (m[`${a.op} ${a.status}`] ?? 0) + 1 }), {});
  return { answers, send, retrying, check, tally };
}

/**
 * Waits until the host's matcher has nothing left: the match and re-match queues empty (a message
 * being handled still counts), twice in a row.
 */
export async function matcherIdle(timeoutMs = 45_000): Promise<void> {
  const queues = [MATCH_QUEUE, REMATCH_QUEUE].map((q) => queueServiceClient().getQueueClient(q));
  const deadline = Date.now() + timeoutMs;
  let emptyInARow = 0;
  while (emptyInARow < 2) {
    if (Date.now() > deadline) throw new Error('the matcher did not finish in time');
    const counts = await Promise.all(queues.map((q) => q.getProperties().then((p) => p.approximateMessagesCount ?? 0, () => 0)));
    emptyInARow = counts.every((n) => n === 0) ? emptyInARow + 1 : 0;
    await sleep(400);
  }
}

/** The org's chain, verified by a Compliance officer: what GET /api/v1/audit/verify answers. */
export async function chainVerifies(orgId: string): Promise<unknown> {
  const compliance = await tokenFor({ org: orgId, roles: ['Compliance'], sub: 'comp-1', mfa: true });
  return (await call('GET', '/api/v1/audit/verify', { token: compliance })).body;
}

/** Every audit outbox document of the org, in every container that holds them, whatever its age. */
export const outboxLeft = (orgId: string) => overdueAuditOutbox(new Date(Date.now() + 86_400_000), 500, orgId);
