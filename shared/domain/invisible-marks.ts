/**
 * Characters, as a regular-expression class body, that change how a name reads without being seen:
 * zero-width space and no-break space, word joiner and invisible operators, the Arabic letter mark,
 * left-to-right and right-to-left marks, embeddings, overrides and isolates ("photo\u202egpj.exe"
 * shows as "photoexe.jpg"). Zero-width joiners are not among them: Persian and Indic names, and
 * emoji, need them.
 */
export const INVISIBLE_MARKS = '\\u061c\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
