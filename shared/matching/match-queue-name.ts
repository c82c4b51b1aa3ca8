/** The queue the matcher listens on; in a module of its own so the estimation job can name it without importing the matcher. */
export const MATCH_QUEUE = 'match-events';
/**
 * Re-matches after a new estimate: a queue (and a function) of their own, so that a retailer's
 * hundreds of re-matches never hold up the matching, and the alerts, of events just reported.
 */
export const REMATCH_QUEUE = 'match-rematch';
