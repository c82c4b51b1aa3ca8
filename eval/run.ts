/**
 * `npm run eval:ctd [-- --seed N --only NAME[,NAME] --quick --json]`: the quality of Connect the
 * Dots on every regime of eval/datasets.ts, in process, the way the service runs it (each person
 * reported in time order becomes a profile; suggestions at the threshold; the model re-estimated
 * as the population grows). Prints per regime pairwise precision, recall and F1 of the
 * suggestion graph beside the exact-name baseline, precision at the top of the review queue,
 * calibration (expected calibration error with its reliability table), and the recall ceiling
 * (the recall of a perfect judge of the pairs compared: what blocking lets through) and the evidence
 * ceiling (the recall of a perfect judge who links only reports sharing a name, DOB, phone or plate); then the
 * worst regime. Exits non-zero when a regime misses precision 0.9 or F1 0.85.
 */
import { parseArgs } from 'node:util';
import { calibration, clustersFromLinks, evidenceCeiling, exactNameBaseline, mentionsOf, pairwiseMetrics, precisionAtTop, simulateService } from './evaluate';
import { REGIMES } from './datasets';

const { values } = parseArgs({
  options: { threshold: { type: 'string' }, seed: { type: 'string', default: '11' }, only: { type: 'string' }, quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, bins: { type: 'boolean', default: false } },
});

const f3 = (x: number) => Number(x.toFixed(3));
const only = values.only?.split(',');
const regimes = REGIMES.filter((r) => (only ? only.includes(r.name) : !(values.quick && r.large)));
const rows: Record<string, Record<string, number | string>> = {};
const details: Record<string, unknown> = {};
for (const regime of regimes) {
  const ds = regime.make(Number(values.seed));
  const mentions = mentionsOf(ds);
  const t = performance.now();
  const run = simulateService(mentions, values.threshold ? { threshold: Number(values.threshold) } : {});
  const seconds = (performance.now() - t) / 1000;
  const m = pairwiseMetrics(mentions, run.clusters);
  const base = pairwiseMetrics(mentions, exactNameBaseline(mentions));
  // The recall a perfect judge of the compared pairs would reach: what blocking lets through at all.
  const ceiling = pairwiseMetrics(mentions, clustersFromLinks(mentions.map((x) => x.id), run.scored.filter((s) => s.same).map((s) => [s.subject, s.candidate])));
  const cal = calibration(run.scored, 0.1);
  const calLinks = calibration(run.links, 0);
  const model = run.models.at(-1);
  rows[regime.name] = {
    people: new Set(ds.truth.map((t) => t.personId)).size,
    mentions: mentions.length,
    'true pairs': m.truePairs,
    precision: f3(m.precision),
    recall: f3(m.recall),
    f1: f3(m.f1),
    'baseline f1': f3(base.f1),
    'recall ceiling': f3(ceiling.recall),
    'evidence ceiling': f3(evidenceCeiling(mentions)),
    'p@50': f3(precisionAtTop(run.links, 50)),
    'p@10%': f3(precisionAtTop(run.links, Math.ceil(run.links.length / 10))),
    suggestions: run.links.length,
    're-match pairs': run.stats.rematchCandidates,
    'ece p≥0.1': f3(cal.ece),
    'ece links': f3(calLinks.ece),
    seconds: Number(seconds.toFixed(1)),
  };
  details[regime.name] = { calibration: cal.bins, model: model && { matchesPerPerson: model.matchesPerPerson, people: model.people, pairs: model.pairs, iterations: model.iterations }, stats: run.stats };
  if (!values.json) {
    process.stderr.write(`${regime.name}: ${regime.description}\n`);
    if (values.bins) console.table(cal.bins.map((b) => ({ bin: `${b.from.toFixed(1)}–${b.to.toFixed(1)}`, pairs: b.pairs, stated: f3(b.meanProbability), observed: f3(b.shareSame) })));
  }
}
// A regime without true pairs (strangers only) has no recall: F1 is 1 with no suggestion and 0 with any, so it is left out of the worst F1.
const worst = Object.entries(rows)
  .filter(([, r]) => Number(r['true pairs']) > 0)
  .reduce((w, [name, r]) => (!w || Number(r.f1) < Number(rows[w]!.f1) ? name : w), '');
const failing = Object.entries(rows).filter(([, r]) => Number(r.precision) < 0.9 || Number(r.f1) < 0.85).map(([n]) => n);
if (values.json) console.log(JSON.stringify({ seed: Number(values.seed), rows, worst, failing, details }, null, 2));
else {
  console.table(rows);
  console.log(`worst regime (F1): ${worst || 'none with true pairs'}; missing precision 0.9 or F1 0.85: ${failing.length ? failing.join(', ') : 'none'}`);
}
if (failing.length) process.exitCode = 1;
