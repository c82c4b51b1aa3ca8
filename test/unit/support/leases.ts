import type { LeaseStore } from '../../../shared/matching/profile-leases';

/** Leases in memory, as the repository keeps them: one per profile, a holder and when it lapses. */
export class Leases implements LeaseStore {
  held = new Map<string, { holder: string; until: number }>();
  log: string[] = [];
  takeProfileLease = async (_r: string, id: string, holder: string, until: Date, now: Date) => {
    const current = this.held.get(id);
    if (current && current.holder !== holder && current.until > now.getTime()) return false;
    this.held.set(id, { holder, until: until.getTime() });
    this.log.push(`take ${id}`);
    return true;
  };
  releaseProfileLease = async (_r: string, id: string, holder: string) => {
    if (this.held.get(id)?.holder === holder) this.held.delete(id);
    this.log.push(`release ${id}`);
  };
}
