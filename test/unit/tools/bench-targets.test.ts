import { missedTargets, row } from '../../../bench/measure';

describe('benchmark targets', () => {
  const rows = [
    row('matching ms per new event, 1000 people stored (mean of 10)', 30, 'ms', 10, '<= 1.5'),
    row('retention: of which queries per purged event', 3.2, 'queries', null, '<= 4'),
    row('evidence processing 50 MB peak RSS growth', 90, 'MiB', null, '<= 64'),
    row('intake events/s (HTTP, c=16)', 200, 'events/s', 1000, '>= 0.5'),
    row('retention: a run with nothing expired', 9, 'round trips', null, 'constant'),
  ];

  it('judges the ratio when there is a baseline, else the value; words are not judged', () => {
    expect(missedTargets(rows, false)).toEqual([
      'matching ms per new event, 1000 people stored (mean of 10): 3 (target <= 1.5)',
      'evidence processing 50 MB peak RSS growth: 90 (target <= 64)',
      'intake events/s (HTTP, c=16): 0.2 (target >= 0.5)',
    ]);
  });

  it('leaves throughput targets that need full sizes out of a quick run', () => {
    expect(missedTargets(rows, true)).toEqual([
      'matching ms per new event, 1000 people stored (mean of 10): 3 (target <= 1.5)',
      'evidence processing 50 MB peak RSS growth: 90 (target <= 64)',
    ]);
  });

  it("counts a figure that was not measured (null, as a child run's JSON carries NaN) or is not a number of anything (Infinity) as missed, not met", () => {
    const unmeasured = [
      { ...row('intake host CPU per event', 0, 'ms', null, '<= 1'), value: null as unknown as number },
      row('intake host CPU per event', NaN, 'ms', null, '<= 1'),
      row('LPR plate reads/s (HTTP, 500-read batches, c=2)', Infinity, 'reads/s', null, '>= 0.5'),
    ];
    expect(missedTargets(unmeasured, false)).toEqual([
      'intake host CPU per event: null (target <= 1)',
      'intake host CPU per event: NaN (target <= 1)',
      'LPR plate reads/s (HTTP, 500-read batches, c=2): Infinity (target >= 0.5)',
    ]);
  });
});
