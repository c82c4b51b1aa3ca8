/**
 * Route templates as the app writes them: literal segments (matched case-insensitively, as the
 * Functions host does), `{name}` for one segment, and a final `{*name}` for the rest of the path.
 * The Functions host accepts more of ASP.NET Core's syntax (optional and default values,
 * constraints, complex segments); the local host refuses those when a function registers, with
 * the name of the function, rather than serving them differently from Azure.
 */
export type RouteSegment = { kind: 'literal'; text: string } | { kind: 'parameter'; name: string } | { kind: 'catch-all'; name: string };

export interface RouteTemplate {
  text: string;
  segments: RouteSegment[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseRouteTemplate(text: string): RouteTemplate {
  const trimmed = text.trim().replace(/^~?\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/').map((s): RouteSegment => parseSegment(s, text));
  if (segments.slice(0, -1).some((s) => s.kind === 'catch-all')) throw new Error(`Route "${text}": a catch-all parameter must be the whole last segment.`);
  const names = segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name.toLowerCase()]));
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`Route "${text}": parameter "${duplicate}" appears twice.`);
  return { text: trimmed, segments };
}

function parseSegment(segment: string, template: string): RouteSegment {
  if (!segment.includes('{') && !segment.includes('}')) {
    if (segment === '') throw new Error(`Route "${template}": an empty segment.`);
    return { kind: 'literal', text: segment };
  }
  const m = /^\{(\*?)([^{}]*)\}$/.exec(segment);
  if (!m || !NAME.test(m[2]!)) {
    throw new Error(`Route "${template}": "${segment}" is not supported by the local host, which serves literal segments, {name} and a final {*name}.`);
  }
  return m[1] ? { kind: 'catch-all', name: m[2]! } : { kind: 'parameter', name: m[2]! };
}

/** Route values for a path, or undefined if the template does not match it. */
export function matchRouteTemplate(template: RouteTemplate, path: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of template.segments.entries()) {
    if (segment.kind === 'catch-all') {
      const rest = path.slice(i).join('/');
      if (rest !== '') params[segment.name] = rest;
      return params;
    }
    const value = path[i];
    if (value === undefined || value === '') return undefined;
    if (segment.kind === 'literal' && value.toLowerCase() !== segment.text.toLowerCase()) return undefined;
    if (segment.kind === 'parameter') params[segment.name] = value;
  }
  return path.length === template.segments.length ? params : undefined;
}

const RANK = { literal: 1, parameter: 2, 'catch-all': 3 } as const;

/** ASP.NET's order, for the segments the app uses: segment by segment, literal before parameter before catch-all; then the longer template first. */
export function compareRoutePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const diff = RANK[a.segments[i]!.kind] - RANK[b.segments[i]!.kind];
    if (diff !== 0) return diff;
  }
  return b.segments.length - a.segments.length;
}

/** Decoded path segments; one trailing slash is ignored, as ASP.NET does. */
export function splitPath(pathname: string): string[] {
  const raw = pathname.split('/');
  if (raw[0] === '') raw.shift();
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  return raw.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}
