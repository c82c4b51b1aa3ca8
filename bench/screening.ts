import path from 'node:path';
import { cpuUsage } from 'node:process';
import { row, type Row } from './measure';

type Screening = typeof import('../shared/domain/screening');

/**
 * Screening free text (PRODUCT §2, issue 21): CPU per 2,000-character description, median over
 * many descriptions, in this process (the screen is pure code). Three kinds of description:
 * ordinary ones with no term; ordinary ones whose terms name products, places and displays (each
 * such sentence is parsed for context); and ones that describe a person by a sensitive
 * characteristic (refused). Beside them, the lexicon's regular expression alone (no context), the
 * floor the screen rests on. Measured on the build in dist/, the code a deployment runs.
 */
const ORDINARY = [
  'Offender entered the store at approx 3pm and walked straight to the health aisle.',
  'He concealed two packs of razor blades and a bottle of shampoo in a grey backpack.',
  'Staff approached him near the exit and asked to check the bag; he refused and left.',
  'Left in a silver Toyota Corolla heading north on Great South Road, partial plate seen.',
  'Wearing a black hoodie, dark blue jeans, white trainers and a red cap pulled low.',
  'CCTV footage saved from cameras 3 and 5, times noted on the incident sheet.',
  'Second offender waited by the trolley bay and kept watch while the first filled the bag.',
  'Security tag removed in the changing rooms; the empty packaging was found behind the shoes.',
];
const WITH_THINGS = [
  'Took four bottles of Indian tonic water and a jar of Polish pickles from the end cap.',
  'Knocked over the pride month display on the way out and stepped on the flyers.',
  'Stole diabetes test strips and two asthma inhalers from behind the pharmacy counter.',
  'Ran towards the Irish pub across the road, then cut through the church car park.',
  'Grabbed the Christian books and a box of Christmas crackers from the gift section.',
];
const SENSITIVE = ['Male, looked Middle Eastern, approx 30, heavy build.', 'Staff say he is a Labour activist and was shouting at the till.'];

function description(pool: readonly string[], seed: number, extra: readonly string[] = []): string {
  let text = '';
  let x = seed;
  const all = [...pool, ...extra];
  while (text.length < 2000) {
    x = (x * 1103515245 + 12345) % 2147483648;
    text += `${all[x % all.length]} `;
  }
  return text.slice(0, 2000);
}

/** Median CPU milliseconds per call of `screen` over `texts`, each screened `rounds` times. */
function medianCpuMs(screen: (t: string) => unknown, texts: readonly string[], rounds: number): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const t of texts) {
      const before = cpuUsage();
      screen(t);
      const spent = cpuUsage(before);
      samples.push((spent.user + spent.system) / 1000);
    }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function benchScreening(quick: boolean): Promise<Row[]> {
  // The compiled screen, as the Functions host runs it (`npm run bench` builds first), not tsx's transpilation of the source.
  const compiled = path.join(__dirname, '..', 'dist', 'shared', 'domain', 'screening', 'index.js');
  const { createTextScreener, defaultLexicon, screenText } = (await import(compiled)) as Screening;
  const rounds = quick ? 20 : 100;
  const ordinary = Array.from({ length: 20 }, (_, i) => description(ORDINARY, i + 1));
  const withThings = Array.from({ length: 20 }, (_, i) => description(ORDINARY, i + 1, WITH_THINGS));
  // Each refused description holds its sensitive sentence somewhere in the middle.
  const sensitive = Array.from({ length: 20 }, (_, i) => {
    const text = description(ORDINARY, i + 1, WITH_THINGS);
    return `${text.slice(0, 900)} ${SENSITIVE[i % SENSITIVE.length]} ${text.slice(900)}`.slice(0, 2000);
  });
  if (withThings.some((t) => screenText(t).length) || sensitive.some((t) => !screenText(t).length)) throw new Error('screening bench: the descriptions are not what they say');
  const lexiconOnly = createTextScreener({ ...defaultLexicon, context: undefined });
  // Warm up (the parser's model loads on the first sentence with a term).
  for (const t of [...ordinary, ...withThings, ...sensitive]) screenText(t);
  return [
    row('screening a 2,000-char description, median CPU (no term)', medianCpuMs(screenText, ordinary, rounds), 'ms', null, '<= 1'),
    row('screening a 2,000-char description, median CPU (terms naming products, places, displays)', medianCpuMs(screenText, withThings, rounds), 'ms', null, '<= 1'),
    row('screening a 2,000-char description, median CPU (describes a person: refused)', medianCpuMs(screenText, sensitive, rounds), 'ms', null, '<= 1'),
    row('screening a 2,000-char description, median CPU (lexicon alone, no context)', medianCpuMs(lexiconOnly, withThings, rounds), 'ms'),
  ];
}
