/** The queue the matcher listens on; in a module of its own so the estimation job can name it without importing the matcher. */
export const MATCH_QUEUE = 'match-events';
