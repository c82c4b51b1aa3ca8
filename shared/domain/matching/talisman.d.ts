/** Minimal types for the talisman modules the matching core uses (talisman is CommonJS and ships none). */
declare module 'talisman/phonetics/double-metaphone' {
  /** [primary, alternate] codes, each at most four characters. */
  const doubleMetaphone: (word: string) => [string, string];
  export default doubleMetaphone;
}
declare module 'talisman/metrics/jaro-winkler' {
  /** Similarity in 0..1 (1 = identical). */
  const jaroWinkler: (a: string, b: string) => number;
  export default jaroWinkler;
}
declare module 'talisman/metrics/damerau-levenshtein' {
  /** Edit distance counting adjacent transpositions as one edit. */
  const damerauLevenshtein: ((a: string, b: string) => number) & {
    /** Distance when ≤ max, otherwise Infinity (stops early). */
    limited: (max: number, a: string, b: string) => number;
  };
  export default damerauLevenshtein;
}
declare module 'talisman/stemmers/porter' {
  const porter: (word: string) => string;
  export default porter;
}
