/** Whether an event is a repeat offender's: one of its people's profiles holds several events (repeatProfiles, profile-repository.ts). */
export const isRepeatEvent = (profileIds: readonly string[], repeat: ReadonlySet<string>): boolean => profileIds.some((id) => repeat.has(id));
