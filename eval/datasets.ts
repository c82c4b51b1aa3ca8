import { generateSynthetic, type SyntheticDataset } from './generators/daybreak/generator';
import type { GeneratedDataset } from './evaluate';

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

function daybreak(identities: number, noiseLevel = 1) {
  return (seed: number): GeneratedDataset => fromDaybreak(generateSynthetic({ seed, identities, noiseLevel }));
}

export const REGIMES: Regime[] = [
  { name: 'daybreak-150', generator: 'daybreak', description: "the project's own generator, 150 people", make: daybreak(150) },
  { name: 'daybreak-1000-noisy', generator: 'daybreak', description: "the project's own generator, 1,000 people, 1.3× noise", make: daybreak(1000, 1.3) },
];
