import type { LeaseStore } from '../../../shared/matching/profile-leases';

/** Leases in memory, as the repository keeps them: one per profile, its holder, the taking's token and when it lapses. */
export class Leases implements LeaseStore {
  held = new Map<string, { holder: string; until: number; token?: string }>();
  log: string[] = [];
  private tokens = 0;
  takeProfileLease = async (_r: string, id: string, holder: string, until: Date, now: Date) => {
    const current = this.held.get(id);
    const live = current && current.until > now.getTime();
    if (live && current.holder === holder) {
      // The same operation again, while its first taking runs: it goes on, the lease extended; the first gives it back.
      this.held.set(id, { ...current, until: until.getTime() });
      this.log.push(`join ${id}`);
      return '';
    }
    if (live) return undefined;
    const token = `t${(this.tokens += 1)}`;
    this.held.set(id, { holder, until: until.getTime(), token });
    this.log.push(`take ${id}`);
    return token;
  };
  releaseProfileLease = async (_r: string, id: string, token: string) => {
    if (this.held.get(id)?.token === token) this.held.delete(id);
    this.log.push(`release ${id}`);
  };
}
