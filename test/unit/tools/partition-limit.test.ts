import { PartitionLimit, writesOf } from '../../../tools/local/partition-limit';

const docs = '/dbs/daybreak/colls/events/docs';
const req = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  path,
  headers: { 'x-ms-documentdb-partitionkey': '["org-1"]', ...headers },
  body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
});

describe('the partition limit at the Cosmos edge', () => {
  it('reads the writes of a create, an upsert, a delete and a batch, and none of a query or a read', () => {
    expect(writesOf(req('POST', docs, { id: 'a' }))).toEqual([{ partition: 'events|["org-1"]', id: 'a', kind: 'add' }]);
    expect(writesOf(req('POST', docs, { id: 'a' }, { 'x-ms-documentdb-is-upsert': 'True' }))[0]!.kind).toBe('add');
    expect(writesOf(req('DELETE', `${docs}/a%3Ab`, undefined))).toEqual([{ partition: 'events|["org-1"]', id: 'a:b', kind: 'delete' }]);
    const batch = [
      { operationType: 'Create', resourceBody: { id: 'x' } },
      { operationType: 'Replace', id: 'y', resourceBody: { id: 'y' } },
      { operationType: 'Delete', id: 'z', partitionKey: '["org-2"]' },
    ];
    expect(writesOf(req('POST', docs, batch, { 'x-ms-cosmos-is-batch-request': 'True' })).map((w) => [w.partition, w.id, w.kind])).toEqual([
      ['events|["org-1"]', 'x', 'add'],
      ['events|["org-1"]', 'y', 'keep'],
      ['events|["org-2"]', 'z', 'delete'],
    ]);
    expect(writesOf(req('POST', docs, { query: 'SELECT * FROM c' }, { 'x-ms-documentdb-isquery': 'True' }))).toEqual([]);
    expect(writesOf(req('GET', `${docs}/a`, undefined))).toEqual([]);
    expect(writesOf(req('PUT', `${docs}/a`, { id: 'a' }))).toEqual([]);
  });

  it('counts the requests in flight: two creates that would each fit cannot pass the limit together, and a request that never reached the store gives its room back', () => {
    const limit = new PartitionLimit(1);
    const first = writesOf(req('POST', docs, { id: 'a' }));
    const second = writesOf(req('POST', docs, { id: 'b' }));
    expect(limit.refuses(first)).toBe(false);
    expect(limit.refuses(second)).toBe(true);
    limit.release(first);
    expect(limit.refuses(second)).toBe(false);
    limit.settle(second, 201, Buffer.from('{}'));
    expect(limit.refuses(writesOf(req('POST', docs, { id: 'c' })))).toBe(true);
    // The same document twice in flight (a retry beside its first attempt) is one document.
    const again = new PartitionLimit(1);
    const once = writesOf(req('POST', docs, { id: 'x' }));
    const twice = writesOf(req('POST', docs, { id: 'x' }));
    expect([again.refuses(once), again.refuses(twice)]).toEqual([false, false]);
  });

  it('refuses what would take a partition past the limit, counting only what the store applied', () => {
    const limit = new PartitionLimit(2);
    const a = writesOf(req('POST', docs, { id: 'a' }));
    limit.settle(a, 201, Buffer.from('{}'));
    limit.settle(writesOf(req('POST', docs, { id: 'b' })), 409, Buffer.from('{}'));
    expect(limit.fullest()).toEqual([{ partition: 'events|["org-1"]', documents: 1 }]);
    const pair = writesOf(req('POST', docs, [{ operationType: 'Create', resourceBody: { id: 'b' } }, { operationType: 'Create', resourceBody: { id: 'c' } }], { 'x-ms-cosmos-is-batch-request': 'True' }));
    expect(limit.refuses(pair)).toBe(true);
    // Rewriting a document the partition holds is not growth.
    expect(limit.refuses(writesOf(req('POST', docs, { id: 'a' }, { 'x-ms-documentdb-is-upsert': 'True' })))).toBe(false);
    // A batch answer lists each operation's status: only the applied ones count.
    limit.settle(pair, 200, Buffer.from(JSON.stringify([{ statusCode: 201 }, { statusCode: 424 }])));
    expect(limit.fullest()[0]!.documents).toBe(2);
    limit.settle(writesOf(req('DELETE', `${docs}/a`, undefined)), 204, Buffer.alloc(0));
    expect(limit.refuses(writesOf(req('POST', docs, { id: 'c' })))).toBe(false);
  });
});
