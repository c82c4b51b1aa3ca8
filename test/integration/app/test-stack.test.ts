import { readFileSync } from 'node:fs';
import { timerNames } from '../support/stack-settings';

/**
 * The stack the tests share runs no timer: a run crossing 03:15 or 02:30 UTC would otherwise
 * sweep retention or write digests over every tenant beside tests that count exactly. Tests that
 * need a timer's work call it (or its admin job) themselves.
 */
describe('the test stack', () => {
  it("finds every timer the app registers, and the stack's host left each out", () => {
    const timers = timerNames();
    expect(timers).toEqual(expect.arrayContaining(['retention-sweep-timer', 'audit-digest-timer', 'match-pending-sweep-timer', 'matching-model-timer', 'audit-outbox-sweep-timer']));
    const log = readFileSync(process.env.DAYBREAK_STACK_LOG!, 'utf8');
    for (const name of timers) expect(log).toContain(`Function disabled by AzureWebJobs.${name}.Disabled.`);
  });
});
