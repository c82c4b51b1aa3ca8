import porter from 'talisman/stemmers/porter';
import words from './feature-words.json';

/**
 * Distinguishing features as comparable tokens: "Tattoo of a snake on left forearm" and
 * "snake tatt, L forearm" both become {tattoo, snake, forearm}. Stop words, sides, colours and
 * clothing are dropped (sides are misremembered, clothes change); paraphrases are mapped to one
 * word, then stemmed. Generic words (tattoo, scar, arm…) are kept apart: they weigh little and
 * make no blocking key.
 */

const stop = new Set<string>([...words.stopwords, ...words.clothing, ...words.colours, ...words.sides]);
const synonyms = words.synonyms as Record<string, string>;
const stem = (w: string): string => (w.length > 3 ? porter(w) : w);
const generic = new Set(words.generic.map(stem));

export interface FeatureTokens {
  informative: string[];
  generic: string[];
}

const cache = new Map<string, FeatureTokens>();

export function featureTokens(texts: readonly string[]): FeatureTokens {
  const informative = new Set<string>();
  const gen = new Set<string>();
  for (const text of texts) {
    const t = tokensOf(text);
    for (const w of t.informative) informative.add(w);
    for (const w of t.generic) gen.add(w);
  }
  return { informative: [...informative].sort(), generic: [...gen].sort() };
}

function tokensOf(text: string): FeatureTokens {
  const hit = cache.get(text);
  if (hit) return hit;
  const informative = new Set<string>();
  const gen = new Set<string>();
  const raw = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const r of raw) {
    if (!r || stop.has(r)) continue;
    const w = synonyms[r] ?? r;
    if (stop.has(w) || w.length < 3 || /^\d+$/.test(w)) continue;
    const s = stem(w).slice(0, 24);
    (generic.has(s) ? gen : informative).add(s);
  }
  const out = { informative: [...informative], generic: [...gen] };
  if (cache.size > 5000) cache.clear();
  cache.set(text, out);
  return out;
}
