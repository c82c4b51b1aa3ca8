/**
 * `npm run eval:screening [-- --json --mistakes]`: the free-text screen (PRODUCT §2) on the phrases
 * of eval/screening/phrases.json, written by a helper who never saw the screening code: recall on
 * the sensitive phrases and the false-positive rate on the benign ones, overall and per category
 * (and per sector and variety of English), and on a quarter held out (mistakes are shown for the rest only). Exits non-zero when recall < 0.97 or false positives > 0.03.
 */
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screenText } from '../../shared/domain/screening';

interface Phrase {
  id: string;
  text: string;
  sensitive: boolean;
  category: string;
  field: string;
  sector: string;
  variety: string;
  note?: string;
}

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, mistakes: { type: 'boolean', default: false }, file: { type: 'string' } } });
const file = values.file ?? path.join(__dirname, 'phrases.json');
const phrases = JSON.parse(readFileSync(file, 'utf8')) as Phrase[];

interface Tally {
  phrases: number;
  flagged: number;
}
const by = new Map<string, Tally>();
const tally = (key: string, flagged: boolean) => {
  const t = by.get(key) ?? { phrases: 0, flagged: 0 };
  t.phrases += 1;
  if (flagged) t.flagged += 1;
  by.set(key, t);
};
const mistakes: { id: string; sensitive: boolean; category: string; text: string; found: string }[] = [];
/** A quarter of the phrases, fixed by their ids, whose mistakes were never looked at while developing: their figures are the honest ones. */
const heldOut = (p: Phrase) => createHash('sha256').update(p.id).digest()[0]! % 4 === 0;
for (const p of phrases) {
  const found = screenText(p.text);
  const flagged = found.length > 0;
  const side = p.sensitive ? 'sensitive' : 'benign';
  const split = heldOut(p) ? `${side} (held out)` : `${side} (developed on)`;
  for (const key of [side, split, `${side} / ${p.category}`, `${side} / sector ${p.sector}`, `${side} / variety ${p.variety}`]) tally(key, flagged);
  if (flagged !== p.sensitive && !heldOut(p)) mistakes.push({ id: p.id, sensitive: p.sensitive, category: p.category, text: p.text, found: found.map((f) => `${f.term} «${f.phrase ?? ''}»`).join('; ') });
}

const f3 = (x: number) => Number(x.toFixed(3));
const rows = Object.fromEntries(
  [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, t]) => [key, { phrases: t.phrases, [key.startsWith('sensitive') ? 'recall' : 'false positives']: f3(t.flagged / t.phrases) }]),
);
const recall = by.get('sensitive')!.flagged / by.get('sensitive')!.phrases;
const falsePositives = by.get('benign')!.flagged / by.get('benign')!.phrases;
if (values.json) console.log(JSON.stringify({ recall: f3(recall), falsePositives: f3(falsePositives), rows, mistakes: values.mistakes ? mistakes : undefined }, null, 2));
else {
  console.table(rows);
  if (values.mistakes) for (const m of mistakes) console.log(`${m.sensitive ? 'MISSED' : 'REFUSED'} [${m.category}] ${m.text}${m.found ? `  → ${m.found}` : ''}`);
  console.log(`recall ${f3(recall)} (target ≥ 0.97), false positives ${f3(falsePositives)} (target ≤ 0.03), ${phrases.length} phrases`);
}
if (recall < 0.97 || falsePositives > 0.03) process.exitCode = 1;
