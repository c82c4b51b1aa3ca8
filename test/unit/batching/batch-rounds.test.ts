import { nextBatchRound, type BatchShare } from '../../../shared/batching/batch-rounds';

const limits = { maxOperations: 10, maxBytes: 1_000 };
const share = (ids: string[], bytes = 100): BatchShare => ({ ids, operations: ids.length, bytes });

describe('nextBatchRound', () => {
  it('takes every share that fits, in order', () => {
    expect(nextBatchRound([share(['a', 'b']), share(['c']), share(['d', 'e', 'f'])], limits)).toEqual({ taken: [0, 1, 2], deferred: [] });
  });

  it('defers a share that writes a document another taken share writes, and takes later ones that do not', () => {
    expect(nextBatchRound([share(['p1', 'e1']), share(['p1', 'e2']), share(['p3', 'e3'])], limits)).toEqual({ taken: [0, 2], deferred: [1] });
  });

  it('defers what would take the batch over its operations, and takes a smaller share after it', () => {
    const shares = [share(['1', '2', '3', '4', '5', '6']), share(['7', '8', '9', '10', '11']), share(['12', '13', '14', '15'])];
    expect(nextBatchRound(shares, limits)).toEqual({ taken: [0, 2], deferred: [1] });
  });

  it('defers what would take the batch over its bytes', () => {
    expect(nextBatchRound([share(['a'], 600), share(['b'], 600), share(['c'], 400)], limits)).toEqual({ taken: [0, 2], deferred: [1] });
  });

  it('always takes the first share, alone when it is over a limit by itself', () => {
    const big = share(Array.from({ length: 12 }, (_, i) => `x${i}`), 5_000);
    expect(nextBatchRound([big, share(['a'])], limits)).toEqual({ taken: [0], deferred: [1] });
    expect(nextBatchRound([], limits)).toEqual({ taken: [], deferred: [] });
  });
});
