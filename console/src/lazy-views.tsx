import { lazyView } from './lazy-view';

/** The views fetched when first opened: each its own chunk, none of them in the first load. */
export const ProfilesList = lazyView(() => import('./profiles/profiles-list').then((m) => m.ProfilesList));
export const GroupsView = lazyView(() => import('./groups/groups-view').then((m) => m.GroupsView));
export const AnalyticsView = lazyView(() => import('./analytics/analytics-view').then((m) => m.AnalyticsView));
export const EventView = lazyView(() => import('./events/event-view').then((m) => m.EventView));
export const CustodyView = lazyView(() => import('./compliance/custody-view').then((m) => m.CustodyView));
export const TransparencyView = lazyView(() => import('./compliance/transparency-view').then((m) => m.TransparencyView));
/** Evidence images, shown on request (a profile's or an event's): their code comes with the first click. */
export const EvidenceImages = lazyView(() => import('./evidence/evidence-images').then((m) => m.EvidenceImages));
