import { containerDefinitions, physicalContainers } from '../../../shared/adapters/cosmos-containers';

describe('physicalContainers', () => {
  it('creates each container once: events, profiles and the plate index share one, with both sort indexes', () => {
    const ids = physicalContainers().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('profiles');
    expect(ids).not.toContain('plate-index');
    expect(containerDefinitions.profiles).toBe(containerDefinitions.events);
    expect(containerDefinitions['plate-index']).toBe(containerDefinitions.events);
    const events = physicalContainers().find((c) => c.id === containerDefinitions.events.id)!;
    expect(events.compositeIndexes?.map((index) => index[0]!.path)).toEqual(['/occurredAtUtc', '/harm']);
  });

  it('refuses two different definitions of one container (one would silently lose its indexes)', () => {
    const a = { id: 'shared', partitionKey: '/orgId' };
    const b = { id: 'shared', partitionKey: '/orgId', compositeIndexes: [[{ path: '/x', order: 'descending' as const }]] };
    expect(physicalContainers({ a, alsoA: a })).toEqual([a]);
    expect(() => physicalContainers({ a, b })).toThrow('Container shared is defined twice, differently.');
  });
});
