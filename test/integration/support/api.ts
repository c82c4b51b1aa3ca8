import { randomUUID } from 'node:crypto';
import type { Role } from '../../../shared/domain/principal';
import { localStackToken } from '../../../tools/dev-issuer/dev-issuer';

export const baseUrl = (): string => {
  const url = process.env.DAYBREAK_BASE_URL;
  if (!url) throw new Error('DAYBREAK_BASE_URL is not set: run through jest so globalSetup starts the stack.');
  return url;
};

export interface TokenOptions {
  org?: string;
  roles: Role[];
  sub?: string;
  stores?: string[];
  mfa?: boolean;
  ttlSeconds?: number;
}

/** A token from the development issuer whose JWKS the local host serves. */
export function tokenFor(options: TokenOptions): Promise<string> {
  return localStackToken(options);
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, for malformed bodies. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl()}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the caller reads `text`
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A fresh id per test run, so tests never see each other's organisations. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * A new organisation. An agency is approved for a year at once (PRODUCT §5b: it is created
 * pending), unless `pending` asks to leave it as created.
 */
export async function createOrg(
  type: 'retailer' | 'agency',
  extra: { jurisdictions?: string[]; pending?: boolean } = {},
): Promise<string> {
  const id = uniqueId(type === 'retailer' ? 'ret' : 'agy');
  const token = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });
  const { pending, ...fields } = extra;
  const res = await call('POST', '/api/v1/orgs', {
    token,
    body: { id, type, name: `Test ${id}`, ...(type === 'agency' ? { jurisdictions: ['NZ-AKL'] } : {}), ...fields },
  });
  if (res.status !== 201) throw new Error(`createOrg failed: ${res.status} ${res.text}`);
  if (type === 'agency' && !pending) {
    const approved = await call('PUT', `/api/v1/orgs/${id}/activation`, { token, body: approval() });
    if (approved.status !== 200) throw new Error(`activation failed: ${approved.status} ${approved.text}`);
  }
  return id;
}

/** An agency's approval for a year from now. */
export const approval = (days = 365) => ({
  agreementReference: 'DSA-2026/014',
  privacyAssessmentReference: 'PIA-2026/007',
  expiresAt: new Date(Date.now() + days * 86_400_000).toISOString(),
});

/** What a police officer states on every read of retailer data (PRODUCT §5b). */
export const PURPOSE = { 'x-legal-basis': 'investigation', 'x-case-reference': 'CASE-2026/0001' } as const;
