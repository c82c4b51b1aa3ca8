import { documentKey, organisationScope } from '../../../shared/adapters/cosmos-shards';
import { randomBytes } from 'node:crypto';
import { idInShard, SHARDS, shardName, shardOf } from '../../../shared/domain/shards';
import { newProfileId } from '../../../shared/domain/events/event-rules';

describe('shards of a sharded container', () => {
  it('places an id in one of SHARDS shards, the same one every time', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `profile-${i}`);
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(shardOf(id), (counts.get(shardOf(id)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(Array.from({ length: SHARDS }, (_, i) => shardName(i)));
    // Evenly: no shard holds more than 15 % above its share (625).
    expect(Math.max(...counts.values())).toBeLessThan((ids.length / SHARDS) * 1.15);
    expect(shardOf('profile-7')).toBe(shardOf('profile-7'));
  });

  it("places a document kept beside another (its id ends in '@' and that one's id) in that one's shard", () => {
    for (const id of ['e-1', 'b7c0a1f2-0000-4000-8000-000000000001', 'x']) {
      expect(shardOf(`match-pending@${id}`)).toBe(shardOf(id));
      expect(shardOf(`audit-outbox:a@b@${id}`)).toBe(shardOf(id));
    }
  });

  it('keys a sharded document by organisation and shard, and scopes a query to the organisation only', () => {
    expect(documentKey(true, 'org-a', 'k1')).toEqual(['org-a', shardOf('k1')]);
    expect(documentKey(false, 'org-a', 'k1')).toBe('org-a');
    expect(organisationScope(true, 'org-a')).toEqual(['org-a']);
    expect(organisationScope(false, 'org-a')).toBe('org-a');
  });

  it('draws a UUID-shaped id into any shard from its digits, changing only the last two', () => {
    for (let i = 0; i < 3_000; i++) {
      const hex = randomBytes(16).toString('hex');
      const shard = shardName(i % SHARDS);
      const id = idInShard(hex, shard);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(id.replace(/-/g, '').slice(0, 30)).toBe(hex.slice(0, 30));
      expect(shardOf(id)).toBe(shard);
    }
  });

  it("gives a new person's profile the same id every time, in the event's shard", () => {
    for (const eventId of ['e-1', 'b7c0a1f2-0000-4000-8000-000000000001', 'x']) {
      const id = newProfileId(eventId, 'p1');
      expect(id).toBe(newProfileId(eventId, 'p1'));
      expect(id).not.toBe(newProfileId(eventId, 'p2'));
      expect(shardOf(id)).toBe(shardOf(eventId));
    }
  });
});
