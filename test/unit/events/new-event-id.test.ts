import { newEventId } from '../../../shared/events/event-repository';
import { SHARDS, shardOf } from '../../../shared/domain/shards';

describe('new event ids', () => {
  it('come in runs of 32 in one shard, so events arriving together share a batch, and spread evenly over the shards', () => {
    const ids = Array.from({ length: 32 * SHARDS * 3 + 32 }, () => newEventId());
    const shards = ids.map((id) => shardOf(id));
    // The first run may be partly spent by earlier callers in this process: start at a run's edge.
    const start = shards.findIndex((s, i) => i > 0 && s !== shards[i - 1]);
    const runs: string[][] = [];
    for (let i = start; i + 32 <= shards.length; i += 32) runs.push(shards.slice(i, i + 32));
    expect(runs.length).toBeGreaterThanOrEqual(SHARDS * 3);
    for (const run of runs) expect(new Set(run).size).toBe(1);
    const perShard = new Map<string, number>();
    for (const run of runs.slice(0, SHARDS * 3)) perShard.set(run[0]!, (perShard.get(run[0]!) ?? 0) + 1);
    expect(perShard.size).toBe(SHARDS);
    expect([...perShard.values()].every((n) => n === 3)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
