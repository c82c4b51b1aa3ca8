import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What `npm run infra:build` produced (test/infra/global-setup.ts runs it when stale):
 * infra/dist/main.json, the compiled ARM template, and one snapshot per
 * test/infra/params/*.bicepparam: the resources that template would deploy with those
 * parameters, every expression that can be evaluated offline evaluated. What can only be
 * known at deployment (a resource's endpoint, an identity's ids) stays an ARM expression
 * such as "[reference('<resource id>', '<api>').clientId]".
 */
export const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'infra/dist');

export interface ArmResource {
  id: string;
  type: string;
  name: string;
  apiVersion?: string;
  location?: string;
  kind?: string;
  sku?: Record<string, unknown>;
  identity?: { type: string; userAssignedIdentities?: Record<string, unknown> };
  tags?: Record<string, string>;
  properties?: Record<string, any>;
}

export interface Snapshot {
  predictedResources: ArmResource[];
  outputs: Record<string, unknown>;
}

/** The parameter sets in test/infra/params. */
export type Scenario = 'first-provision' | 'second-provision' | 'locked-immutability';

const cache = new Map<string, unknown>();
function readJson<T>(file: string): T {
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(path.join(DIST, file), 'utf8')));
  return cache.get(file) as T;
}

export const snapshot = (scenario: Scenario): Snapshot => readJson<Snapshot>(`${scenario}.snapshot.json`);
export const compiledTemplate = (): Record<string, any> => readJson<Record<string, any>>('main.json');
export const compiledText = (): string => readFileSync(path.join(DIST, 'main.json'), 'utf8');

export function ofType(scenario: Scenario, type: string): ArmResource[] {
  return snapshot(scenario).predictedResources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

export function single(scenario: Scenario, type: string): ArmResource {
  const found = ofType(scenario, type);
  if (found.length !== 1) throw new Error(`Expected one ${type} in ${scenario}, found ${found.length}`);
  return found[0]!;
}

/** The last segment of a resource's name ("st123/default/evidence" → "evidence"). */
export const leafName = (r: ArmResource): string => r.name.split('/').pop()!;

/**
 * The id of the resource an unresolved expression reads, e.g.
 * "[reference('/subscriptions/…/userAssignedIdentities/id-x', '2024-11-30').principalId]" →
 * "/subscriptions/…/userAssignedIdentities/id-x"; undefined for a literal.
 */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\[reference\('([^']+)'/.exec(value)?.[1];
}

/** The property an unresolved reference() reads: "[reference('…', '…').clientId]" → "clientId". */
export function referencedProperty(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\[reference\('[^']+', '[^']+'(?:, 'full')?\)\.([\w.]+)\]$/.exec(value)?.[1];
}

/** The parameters of the compiled main template, with their default values. */
export function templateParameters(): Record<string, { type: string; defaultValue?: unknown }> {
  return compiledTemplate().parameters as Record<string, { type: string; defaultValue?: unknown }>;
}
