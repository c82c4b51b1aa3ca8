import { CronExpressionParser } from 'cron-parser';
import { durationMs } from '../worker/host-json';

export interface TimerSchedule {
  expression: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
  /** The last occurrence strictly before `before`, for ScheduleStatus.Last on a first run. */
  previous(before: Date): Date | undefined;
}

/**
 * A timer trigger schedule: six-field NCRONTAB with seconds (evaluated in UTC, as the runtime
 * does unless WEBSITE_TIME_ZONE is set), or a TimeSpan such as "00:05:00" meaning "every 5 min".
 */
export function parseTimerSchedule(expression: string): TimerSchedule {
  const text = expression.trim();
  const interval = /^\d/.test(text) && text.includes(':') ? durationMs(text) : undefined;
  if (interval !== undefined) {
    if (interval <= 0) throw new Error(`Timer schedule "${expression}" must be a positive interval.`);
    return {
      expression: text,
      next: (after) => new Date(after.getTime() + interval),
      previous: () => undefined,
    };
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `Timer schedule "${expression}" must have six fields ({second} {minute} {hour} {day} {month} {day-of-week}).`,
    );
  }
  try {
    CronExpressionParser.parse(text, { tz: 'UTC' });
  } catch (error) {
    throw new Error(`Timer schedule "${expression}" is not a valid NCRONTAB expression: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    expression: text,
    next: (after) => CronExpressionParser.parse(text, { currentDate: after, tz: 'UTC' }).next().toDate(),
    previous: (before) => {
      try {
        return CronExpressionParser.parse(text, { currentDate: before, tz: 'UTC' }).prev().toDate();
      } catch {
        return undefined;
      }
    },
  };
}
