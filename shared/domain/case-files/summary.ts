import type { AuditEntry } from '../audit-chain';
import type { Person, RetailEvent } from '../events/event-schema';
import type { Manifest } from './manifest';

/**
 * What summary.pdf says, as an outline of blocks a renderer lays out (adapters/pdf-summary.ts):
 * the brief a prosecutor reads first. Pure, so what it states is tested without a PDF.
 */

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string; newPage?: boolean }
  | { kind: 'subheading'; text: string }
  | { kind: 'fields'; rows: [string, string][] }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; columns: { title: string; width: number; mono?: boolean }[]; rows: string[][] };

export interface SummaryEvent {
  event: RetailEvent;
  retailerName: string;
  storeName: string | null;
}

export interface SummaryEvidence {
  id: string;
  eventId: string;
  fileName: string;
  kind: string;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  status: string;
  /** Where its bytes are in the archive; null when the requester may see the record but not the bytes. */
  path: string | null;
  /** Its custody as the builder may see it; null when they see records only (a partner retailer). */
  custody: AuditEntry[] | null;
}

export interface SummaryProfile {
  id: string;
  names: string[];
  dobs: string[];
  eventIds: string[];
}

export interface SummaryInput {
  manifest: Omit<Manifest, 'files'>;
  /** The key version that signs manifest.json. */
  kid: string;
  events: SummaryEvent[];
  evidence: SummaryEvidence[];
  profiles: SummaryProfile[];
  omitted: { events: number; profiles: number };
}

const money = (amount: number, currency: string | undefined): string =>
  `${amount.toLocaleString('en-NZ', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;

/** Recorded loss per currency (a prevented event lost nothing). */
export function lossOf(event: RetailEvent): number {
  if (event.prevented) return 0;
  return (event.products ?? []).reduce((sum, p) => sum + p.quantity * p.unitValue, 0);
}

function totals(events: SummaryEvent[]): string {
  const byCurrency = new Map<string, number>();
  for (const { event } of events) {
    const loss = lossOf(event);
    if (loss > 0) byCurrency.set(event.currency ?? '', (byCurrency.get(event.currency ?? '') ?? 0) + loss);
  }
  if (!byCurrency.size) return 'none recorded';
  return [...byCurrency].map(([currency, amount]) => money(amount, currency || undefined)).join(', ');
}

export const shortId = (id: string): string => id.slice(0, 8);

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** "2026-11-30 14:05 (+13:00), 01:05 UTC": as recorded, and in UTC. */
export function when(iso: string): string {
  const offset = /([+-]\d{2}:\d{2}|Z)$/.exec(iso)?.[1] ?? 'Z';
  const local = iso.slice(0, 16).replace('T', ' ');
  const utc = new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
  return offset === 'Z' ? `${local} UTC` : `${local} (${offset}), ${utc.slice(11)} UTC on ${utc.slice(0, 10)}`;
}

function personLine(p: Person): string {
  const name = [p.name?.given, p.name?.family].filter(Boolean).join(' ') || 'name not recorded';
  const parts = [
    p.name?.aliases?.length ? `also known as ${p.name.aliases.join(', ')}` : '',
    p.dateOfBirth ? `born ${p.dateOfBirth}` : '',
    p.ageRange ? `aged about ${p.ageRange.min}–${p.ageRange.max}` : '',
    p.heightCm ? `${p.heightCm} cm` : '',
    p.build ? `${p.build} build` : '',
    p.phone ? `phone ${p.phone}` : '',
    p.clothing ? `wearing ${p.clothing}` : '',
    p.distinguishingFeatures?.length ? `features: ${p.distinguishingFeatures.join('; ')}` : '',
  ].filter(Boolean);
  return `${p.role === 'offender' ? 'Offender' : 'Accomplice'}: ${name}${parts.length ? ` — ${parts.join(', ')}` : ''} (profile ${shortId(p.profileId)})`;
}

function eventBlocks({ event, retailerName, storeName }: SummaryEvent, index: number, evidence: SummaryEvidence[]): Block[] {
  const v = event.violence;
  const blocks: Block[] = [
    { kind: 'subheading', text: `${index + 1}. ${when(event.occurredAt)} — ${event.type}${event.prevented ? ' (prevented)' : ''}` },
    {
      kind: 'fields',
      rows: [
        ['Event', event.id],
        ['Retailer', `${retailerName} (${event.retailerId})`],
        ['Store', storeName ? `${storeName} (${event.storeId})` : event.storeId],
        ['Loss', event.prevented ? 'none (prevented)' : lossOf(event) > 0 ? money(lossOf(event), event.currency) : 'none recorded'],
        ...(v ? [['Violence', `threatened ${yesNo(v.threatened)}, used ${yesNo(v.used)}, weapon ${v.weapon}`] as [string, string]] : []),
        ...(event.policeReference ? [['Police reference', event.policeReference] as [string, string]] : []),
        ['Recorded', `${event.createdAt} by ${event.createdBy}`],
      ],
    },
  ];
  if (event.description) blocks.push({ kind: 'paragraph', text: event.description });
  if (event.products?.length) {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Product', width: 0.46 },
        { title: 'SKU', width: 0.16 },
        { title: 'Qty', width: 0.08 },
        { title: 'Unit value', width: 0.15 },
        { title: 'Value', width: 0.15 },
      ],
      rows: event.products.map((p) => [p.name, p.sku ?? '', String(p.quantity), money(p.unitValue, undefined), money(p.quantity * p.unitValue, event.currency)]),
    });
  }
  if (event.people.length) blocks.push({ kind: 'paragraph', text: event.people.map(personLine).join('\n') });
  if (event.vehicles.length) {
    blocks.push({
      kind: 'paragraph',
      text: event.vehicles.map((x) => `Vehicle: ${x.plate}${[x.colour, x.make, x.model].some(Boolean) ? ` — ${[x.colour, x.make, x.model].filter(Boolean).join(' ')}` : ''}`).join('\n'),
    });
  }
  const items = evidence.filter((e) => e.eventId === event.id);
  if (items.length) blocks.push({ kind: 'paragraph', text: `Evidence: ${items.map((e) => `${e.fileName} (${shortId(e.id)})`).join(', ')}` });
  return blocks;
}

const sizeText = (bytes: number | null): string =>
  bytes === null ? '—' : bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`;

function custodyBlocks(item: SummaryEvidence): Block[] {
  return [
    { kind: 'subheading', text: `${item.fileName} (${item.id})` },
    {
      kind: 'fields',
      rows: [
        ['Event', item.eventId],
        ['Kind', `${item.kind}${item.mediaType ? `, ${item.mediaType}` : ''}, ${sizeText(item.size)}, ${item.status}`],
        ['SHA-256', item.sha256 ?? 'not recorded'],
        ['In this file', item.path ?? 'no: the bytes stay with the owning retailer (metadata only)'],
      ],
    },
    item.custody
      ? {
          kind: 'table',
          columns: [
            { title: 'Seq', width: 0.08 },
            { title: 'When (UTC)', width: 0.22 },
            { title: 'Action', width: 0.2 },
            { title: 'By', width: 0.38 },
            { title: 'Outcome', width: 0.12 },
          ],
          rows: item.custody.map((e) => [String(e.seq), e.at.slice(0, 19).replace('T', ' '), e.action, `${e.actor.sub}${e.actor.org && e.actor.org !== e.actor.sub ? ` (${e.actor.org})` : ''}`, e.outcome]),
        }
      : { kind: 'paragraph', text: 'Custody: kept by the owning retailer, which can produce it (a partner retailer sees the record only).' },
  ];
}

/** The brief, in reading order: who built it and why, the events in time order, the people, the evidence and its custody. */
export function summaryOutline(input: SummaryInput): Block[] {
  const { manifest: m } = input;
  const events = [...input.events].sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.event.id.localeCompare(b.event.id));
  const purpose = m.builtBy.purpose;
  const blocks: Block[] = [
    { kind: 'title', text: m.title },
    {
      kind: 'fields',
      rows: [
        ['Case file', m.caseFileId],
        ['Built', `${m.builtAt} by ${m.builtBy.sub} (${m.builtBy.roles.join(', ')}, ${m.builtBy.orgType} ${m.builtBy.orgId})`],
        ...(purpose ? [['Legal basis', purpose.legalBasis] as [string, string], ['Case reference', purpose.caseReference] as [string, string]] : []),
        ['Events', `${events.length}${events.length ? `, from ${when(events[0]!.event.occurredAt)} to ${when(events[events.length - 1]!.event.occurredAt)}` : ''}`],
        ['Recorded loss', totals(events)],
        ['Evidence items', `${input.evidence.length} (${input.evidence.filter((e) => e.path).length} with their original bytes)`],
        ['People', `${input.profiles.length} profile${input.profiles.length === 1 ? '' : 's'} asked for; ${events.reduce((n, e) => n + e.event.people.length, 0)} people as recorded in the events`],
        ...(input.omitted.events || input.omitted.profiles
          ? [['Left out', `${input.omitted.events} event(s) and ${input.omitted.profiles} profile(s) asked for that the builder may not see`] as [string, string]]
          : []),
      ],
    },
    { kind: 'heading', text: 'Events at a glance' },
    {
      kind: 'table',
      columns: [
        { title: 'When', width: 0.3 },
        { title: 'Store', width: 0.25 },
        { title: 'What', width: 0.17 },
        { title: 'Loss', width: 0.14 },
        { title: 'Evidence', width: 0.14 },
      ],
      rows: events.map(({ event, storeName }) => [
        when(event.occurredAt).split(',')[0]!,
        storeName ? `${storeName} (${event.storeId})` : event.storeId,
        `${event.type}${event.prevented ? ' (prevented)' : ''}`,
        lossOf(event) > 0 ? money(lossOf(event), event.currency) : '—',
        String(input.evidence.filter((e) => e.eventId === event.id).length),
      ]),
    },
    { kind: 'heading', text: 'Integrity' },
    {
      kind: 'paragraph',
      text:
        'manifest.json lists every other file in this archive with its SHA-256 and size, and the entry that recorded this build ' +
        `in each owning retailer's audit chain (below). manifest.jws is a detached JWS (ES256) over manifest.json by key ${input.kid}; ` +
        'the public keys are published at /api/v1/.well-known/signing-keys (in Azure the private key stays in Key Vault). ' +
        'Check the file offline with: npm run -s casefile:verify -- <file.zip> --jwks <keys>.',
    },
    {
      kind: 'table',
      columns: [
        { title: 'Audit chain', width: 0.3 },
        { title: 'Entry', width: 0.1 },
        { title: 'Hash', width: 0.6, mono: true },
      ],
      rows: m.auditHeads.map((h) => [h.orgId, String(h.seq), h.hash]),
    },
    { kind: 'heading', text: 'Events in time order', newPage: true },
    ...events.flatMap((e, i) => eventBlocks(e, i, input.evidence)),
  ];
  if (input.profiles.length) {
    blocks.push({ kind: 'heading', text: 'People (profiles)' });
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Profile', width: 0.3 },
        { title: 'Names as recorded', width: 0.35 },
        { title: 'Dates of birth', width: 0.2 },
        { title: 'Events', width: 0.15 },
      ],
      rows: input.profiles.map((p) => [p.id, p.names.join('; ') || '—', p.dobs.join('; ') || '—', String(p.eventIds.length)]),
    });
  }
  blocks.push({ kind: 'heading', text: 'Evidence and its custody', newPage: true });
  if (!input.evidence.length) {
    blocks.push({ kind: 'paragraph', text: 'No evidence is attached to these events.' });
    return blocks;
  }
  blocks.push(
    {
      kind: 'table',
      columns: [
        { title: 'Item', width: 0.11 },
        { title: 'File', width: 0.21 },
        { title: 'Size', width: 0.09 },
        { title: 'SHA-256', width: 0.59, mono: true },
      ],
      rows: input.evidence.map((e) => [shortId(e.id), e.fileName, sizeText(e.size), e.sha256 ?? '—']),
    },
    ...input.evidence.flatMap(custodyBlocks),
  );
  return blocks;
}
