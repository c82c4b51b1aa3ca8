import { alertUseCases, type AlertStore } from '../../../shared/lpr/alert-use-cases';
import type { LprAlert } from '../../../shared/domain/lpr/lpr-schema';
import type { Cursor } from '../../../shared/domain/events/event-list';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import type { Role } from '../../../shared/domain/principal';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Reading licence-plate alerts on their own, over alerts in memory: newest first in pages, each
 * page and each alert read recorded with the ids it showed, another retailer's alert answering
 * 404 and leaving no entry. The same run against the emulator in test/integration/app/lpr.test.ts.
 */
class Records implements AlertStore {
  alerts: (LprAlert & { retailerId: string })[] = [];
  entries: { retailerId: string; entry: AuditOf }[] = [];
  table = new TableAuthorizer((org) => (org === 'shop' || org === 'other' ? 'retailer' : undefined));

  authorize = (caller: Caller, id: string) => this.table.check(caller, 'lpr.alert.read', id);
  listAlerts = (retailerId: string, pageSize: number, after?: Cursor) => {
    const mine = this.alerts
      .filter((a) => a.retailerId === retailerId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .filter((a) => !after || a.createdAt < after.t || (a.createdAt === after.t && a.id < after.id));
    const items = mine.slice(0, pageSize).map(({ retailerId: _r, ...a }) => a);
    const last = items.at(-1);
    return Promise.resolve({ items, next: mine.length > pageSize && last ? { t: last.createdAt, id: last.id } : null });
  };
  readAlert = (retailerId: string, id: string) => {
    const found = this.alerts.find((a) => a.retailerId === retailerId && a.id === id);
    if (!found) return Promise.resolve(undefined);
    const { retailerId: _r, ...alert } = found;
    return Promise.resolve(alert);
  };
  /** Alerts other retailers hold (id → retailer). */
  elsewhere = new Map<string, string>();
  alertOwner = (id: string) => Promise.resolve(this.elsewhere.get(id));
  audit = (_caller: Caller, retailerId: string, entry: AuditOf) => {
    this.entries.push({ retailerId, entry });
    return Promise.resolve();
  };
}

const as = (orgId: string, role: Role = 'Investigator'): Caller => callerAs(orgId, role, false);

function alert(retailerId: string, n: number): LprAlert & { retailerId: string } {
  return {
    retailerId,
    id: `${retailerId}-alert-${n}`,
    plate: 'ABC123',
    storeId: 's1',
    cameraId: 'cam-1',
    readAt: `2026-12-0${n}T10:00:00.000Z`,
    confidence: 0.95,
    profileIds: [`p${n}`],
    eventIds: [`e${n}`],
    retailerIds: [retailerId],
    match: 'exact',
    reason: 'profile in a risk tier',
    createdAt: `2026-12-0${n}T10:00:01.000Z`,
  };
}

function world() {
  const records = new Records();
  records.alerts.push(alert('shop', 1), alert('shop', 2), alert('shop', 3), alert('other', 4));
  return { records, ...alertUseCases(records) };
}

describe('licence-plate alerts, over in-memory records', () => {
  it('lists newest first in pages, each page recorded with the ids it showed', async () => {
    const { records, listLprAlerts } = world();
    const first = await listLprAlerts(as('shop'), { pageSize: 2 });
    expect(first.items.map((a) => a.id)).toEqual(['shop-alert-3', 'shop-alert-2']);
    expect(first.continuationToken).toEqual(expect.any(String));
    const second = await listLprAlerts(as('shop'), { pageSize: 2, continuationToken: first.continuationToken! });
    expect(second).toMatchObject({ items: [{ id: 'shop-alert-1' }], continuationToken: null });
    expect(records.entries).toEqual([
      { retailerId: 'shop', entry: { action: 'lpr.alert.list', target: { type: 'lpr-alert', id: '*' }, details: { count: 2, alertIds: ['shop-alert-3', 'shop-alert-2'] } } },
      { retailerId: 'shop', entry: { action: 'lpr.alert.list', target: { type: 'lpr-alert', id: '*' }, details: { count: 1, alertIds: ['shop-alert-1'] } } },
    ]);
  });

  it('one alert is recorded with the events and people it names; another retailer’s answers 404, the attempt in that retailer’s chain', async () => {
    const { records, getLprAlert } = world();
    records.elsewhere.set('other-alert-4', 'other');
    expect((await getLprAlert(as('shop'), 'shop-alert-2')).plate).toBe('ABC123');
    await expect(getLprAlert(as('shop'), 'other-alert-4')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getLprAlert(as('shop'), 'nothing')).rejects.toBeInstanceOf(NotFoundError);
    expect(records.entries).toEqual([
      { retailerId: 'shop', entry: { action: 'lpr.alert.read', target: { type: 'lpr-alert', id: 'shop-alert-2' }, details: { eventIds: ['e2'], profileIds: ['p2'] } } },
      { retailerId: 'other', entry: { action: 'lpr.alert.read', target: { type: 'lpr-alert', id: 'other-alert-4' }, outcome: 'denied', details: { code: 'NOT_VISIBLE' } } },
    ]);
    expect(records.table.asked).toEqual(['lpr.alert.read shop-alert-2', 'lpr.alert.read other-alert-4', 'lpr.alert.read nothing']);
  });

  it('a role the table refuses reads nothing and leaves no read entry', async () => {
    const { records, listLprAlerts, getLprAlert } = world();
    await expect(listLprAlerts(as('shop', 'Reporter'), { pageSize: 10 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getLprAlert(as('shop', 'Integration'), 'shop-alert-1')).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.entries).toEqual([]);
  });
});
