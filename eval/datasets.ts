import { generateSynthetic, type SyntheticDataset, type SyntheticOptions } from './generators/daybreak/generator';
import type { GeneratedDataset } from './evaluate';
import * as ukNz from './generators/uk-nz-retail/generator';
import * as us from './generators/us-pharmacy/generator';
import * as au from './generators/au-hardware/generator';

/**
 * The evaluation regimes: each a generator and its settings. Two generators were written by
 * helpers who saw only PRODUCT §2 and the issue, never the matcher (uk-nz-retail, us-pharmacy);
 * the project's own (daybreak) is kept beside them, and is the one the matcher was first tuned on.
 */
export interface Regime {
  name: string;
  generator: string;
  description: string;
  /** Large regimes are left out of quick runs. */
  large?: boolean;
  make(seed: number): GeneratedDataset;
}

/** The project's own generator's output in the common form. */
export function fromDaybreak(ds: SyntheticDataset): GeneratedDataset {
  return { events: ds.events as unknown as GeneratedDataset['events'], truth: ds.mentions.map((m) => ({ eventId: m.eventId, ref: m.ref, personId: m.truthId })) };
}

function daybreak(identities: number, noiseLevel = 1, more: Partial<SyntheticOptions> = {}) {
  return (seed: number): GeneratedDataset => fromDaybreak(generateSynthetic({ seed, identities, noiseLevel, ...more }));
}

/** A regime of an independent generator (its own names for them). */
function independent(gen: { generate(regime: string, seed: number): GeneratedDataset }, generator: string, regime: string, description: string, large = false): Regime {
  return { name: `${generator}/${regime}`, generator, description, large, make: (seed) => gen.generate(regime, seed) };
}

export const REGIMES: Regime[] = [
  // Held out: only its figures are read, never its mistakes, so nothing is tuned to it.
  independent(ukNz, 'uk-nz-retail', 'small-namesakes', 'independent (held out): a small retailer, few surnames, many namesakes'),
  independent(ukNz, 'uk-nz-retail', 'sparse', 'independent (held out): hurried reports, most without a name, DOB or phone'),
  independent(ukNz, 'uk-nz-retail', 'medium', 'independent (held out): a mid-sized retailer'),
  independent(ukNz, 'uk-nz-retail', 'large', 'independent (held out): at least 20,000 people and 50,000 events', true),
  // Held out too: a third helper, modelled on the issue's own independent set (150 people, 346 events, 88 % of true pairs sharing a signal).
  independent(au, 'au-hardware', 'issue-set', 'independent (held out): as the issue describes its set: 150 people, namesakes, a fifth unnamed'),
  independent(au, 'au-hardware', 'households', 'independent (held out): households sharing surname, phone and car'),
  independent(au, 'au-hardware', 'nameless', 'independent (held out): 60 % of reports without a name'),
  independent(au, 'au-hardware', 'issue-set-large', 'independent (held out): the issue-set behaviour at 2,000 people', true),
  // Independent too, and the one whose mistakes were looked at while developing.
  independent(us, 'us-pharmacy', 'few-surnames', 'independent: a small chain where a handful of surnames cover most people'),
  independent(us, 'us-pharmacy', 'sparse', 'independent: most reports without a name, DOB or phone'),
  independent(us, 'us-pharmacy', 'organised-groups', 'independent: crews who hit stores together, rotating members, aliases'),
  independent(us, 'us-pharmacy', 'large-chain', 'independent: at least 20,000 people and 50,000 events, US surname frequencies', true),
  { name: 'daybreak-150', generator: 'daybreak', description: "the project's own generator, 150 people", make: daybreak(150) },
  { name: 'daybreak-1000-noisy', generator: 'daybreak', description: "the project's own generator, 1,000 people, 1.3× noise", make: daybreak(1000, 1.3) },
  {
    name: 'daybreak-sparse',
    generator: 'daybreak',
    description: "the project's own generator, 600 people, reports sparse: given or family often missing, DOB and phone rarely",
    make: daybreak(600, 1, { noise: { missingGiven: 0.35, missingFamily: 0.3, dobReported: 0.15, phoneReported: 0.1 } }),
  },
  { name: 'daybreak-large', generator: 'daybreak', description: "the project's own generator, 20,000 people, 300 stores", large: true, make: daybreak(20_000, 1, { stores: 300 }) },
];
