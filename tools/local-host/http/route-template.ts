import { parseRouteConstraint, type RouteConstraint } from './route-constraints';

/**
 * Azure Functions route templates (ASP.NET Core syntax): literal segments, `{param}`,
 * `{param?}`, `{param=default}`, constraints `{id:int}`, catch-all `{*rest}`, and complex
 * segments such as `{name}.{ext}`. Literals match case-insensitively.
 */
export interface LiteralPart {
  kind: 'literal';
  text: string;
}

export interface ParameterPart {
  kind: 'parameter';
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: RouteConstraint[];
}

export type RoutePart = LiteralPart | ParameterPart;

export interface RouteSegment {
  parts: RoutePart[];
  /** Set for complex segments (more than one part). */
  pattern?: RegExp;
}

export interface RouteTemplate {
  text: string;
  segments: RouteSegment[];
}

export function parseRouteTemplate(text: string): RouteTemplate {
  const trimmed = text.trim().replace(/^~?\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/').map((segment) => parseSegment(segment, text));
  segments.forEach((segment, index) => {
    const single = singleParameter(segment);
    if (segment.parts.some((p) => p.kind === 'parameter' && p.catchAll) && (!single || index !== segments.length - 1)) {
      throw new Error(`Route "${text}": a catch-all parameter must be the whole last segment.`);
    }
    if (canBeEmpty(segment) && segments.slice(index + 1).some((later) => !canBeEmpty(later))) {
      throw new Error(`Route "${text}": an optional segment can only be followed by optional segments.`);
    }
  });
  const names = segments.flatMap((s) => s.parts).filter(isParameter).map((p) => p.name.toLowerCase());
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`Route "${text}": parameter "${duplicate}" appears twice.`);
  return { text: trimmed, segments };
}

/** Route values for a path, or undefined if the template does not match it. */
export function matchRouteTemplate(template: RouteTemplate, path: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const { segments } = template;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as RouteSegment;
    const single = singleParameter(segment);

    if (single?.catchAll) {
      const value = path.slice(i).join('/');
      if (value === '') {
        if (single.defaultValue !== undefined) params[single.name] = single.defaultValue;
        return params;
      }
      if (!passes(single, value)) return undefined;
      params[single.name] = value;
      return params;
    }

    const value = path[i];
    if (value === undefined) {
      if (!single || !(single.optional || single.defaultValue !== undefined)) return undefined;
      if (single.defaultValue !== undefined) params[single.name] = single.defaultValue;
      continue;
    }
    if (value === '') return undefined;

    const only = segment.parts.length === 1 ? segment.parts[0] : undefined;
    if (only?.kind === 'literal') {
      if (only.text.toLowerCase() !== value.toLowerCase()) return undefined;
    } else if (only?.kind === 'parameter') {
      if (!passes(only, value)) return undefined;
      params[only.name] = value;
    } else if (!matchComplex(segment, value, params)) {
      return undefined;
    }
  }
  return path.length > segments.length ? undefined : params;
}

/**
 * Route order, lowest first, as ASP.NET ranks templates: per segment, literal before complex
 * before constrained parameter before parameter before catch-all; where one template is longer,
 * more segments are more specific unless the extra ones may be empty (then the exact shorter
 * template wins, e.g. `items` before `items/{id?}`).
 */
export function compareRoutePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const sa = a.segments[i];
    const sb = b.segments[i];
    if (sa && sb) {
      const diff = segmentRank(sa) - segmentRank(sb);
      if (diff !== 0) return diff;
      continue;
    }
    const longer = sa ? a : b;
    const extraMayBeEmpty = longer.segments.slice(i).every(canBeEmpty);
    const longerFirst = extraMayBeEmpty ? 1 : -1;
    return sa ? longerFirst : -longerFirst;
  }
  return 0;
}

export function segmentRank(segment: RouteSegment): number {
  if (segment.parts.length > 1) return 2;
  const only = segment.parts[0];
  if (!only || only.kind === 'literal') return 1;
  if (only.catchAll) return 5;
  return only.constraints.length > 0 ? 3 : 4;
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

function parseSegment(segment: string, template: string): RouteSegment {
  const parts: RoutePart[] = [];
  let literal = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '{' && segment[i + 1] === '{') {
      literal += '{';
      i++;
    } else if (char === '}' && segment[i + 1] === '}') {
      literal += '}';
      i++;
    } else if (char === '}') {
      throw new Error(`Route "${template}": unmatched "}".`);
    } else if (char === '{') {
      if (literal) parts.push({ kind: 'literal', text: literal });
      literal = '';
      let body = '';
      let j = i + 1;
      for (; j < segment.length; j++) {
        const c = segment[j] as string;
        if ((c === '}' || c === '{') && segment[j + 1] === c) {
          body += c;
          j++;
        } else if (c === '}') break;
        else if (c === '{') throw new Error(`Route "${template}": unexpected "{" in a parameter.`);
        else body += c;
      }
      if (j >= segment.length) throw new Error(`Route "${template}": unterminated "{".`);
      const previous = parts[parts.length - 1];
      if (previous?.kind === 'parameter') {
        throw new Error(`Route "${template}": two parameters need a literal between them.`);
      }
      parts.push(parseParameter(body, template));
      i = j;
    } else {
      literal += char;
    }
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  if (parts.length === 0) throw new Error(`Route "${template}": empty segment.`);
  const result: RouteSegment = { parts };
  if (parts.length > 1) result.pattern = complexPattern(parts, template);
  return result;
}

function parseParameter(body: string, template: string): ParameterPart {
  let rest = body.trim();
  let catchAll = false;
  if (rest.startsWith('**')) {
    catchAll = true;
    rest = rest.slice(2);
  } else if (rest.startsWith('*')) {
    catchAll = true;
    rest = rest.slice(1);
  }
  let optional = false;
  if (rest.endsWith('?')) {
    optional = true;
    rest = rest.slice(0, -1);
  }
  const pieces = splitOutsideParens(rest);
  let last = pieces[pieces.length - 1] ?? '';
  let defaultValue: string | undefined;
  const equals = indexOutsideParens(last, '=');
  if (equals >= 0) {
    defaultValue = last.slice(equals + 1);
    last = last.slice(0, equals);
    pieces[pieces.length - 1] = last;
  }
  const [name = '', ...constraintTexts] = pieces;
  if (!/^[^{}/?*=:.\s]+$/.test(name)) throw new Error(`Route "${template}": invalid parameter name "${name}".`);
  if (optional && defaultValue !== undefined) {
    throw new Error(`Route "${template}": parameter "${name}" cannot be optional and have a default.`);
  }
  return {
    kind: 'parameter',
    name,
    optional: optional || catchAll,
    catchAll,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    constraints: constraintTexts.filter((t) => t !== '').map(parseRouteConstraint),
  };
}

/** Splits `name:int:regex(a:b)` on colons that are not inside parentheses. */
function splitOutsideParens(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ':' && depth === 0) {
      pieces.push(current);
      current = '';
    } else current += char;
  }
  pieces.push(current);
  return pieces;
}

function indexOutsideParens(text: string, needle: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (char === needle && depth === 0) return i;
  }
  return -1;
}

function complexPattern(parts: RoutePart[], template: string): RegExp {
  let source = '';
  parts.forEach((part, index) => {
    if (part.kind === 'literal') {
      source += escapeRegExp(part.text);
      return;
    }
    if (part.catchAll) throw new Error(`Route "${template}": a catch-all parameter must be the whole last segment.`);
    const previous = parts[index - 1];
    const isLast = index === parts.length - 1;
    if (part.optional && isLast && previous?.kind === 'literal') {
      // `{name}.{ext?}`: the separator and the value are optional together.
      source = source.slice(0, source.length - escapeRegExp(previous.text).length);
      source += `(?:${escapeRegExp(previous.text)}(.+))?`;
    } else if (part.optional) {
      throw new Error(`Route "${template}": an optional parameter in a segment must come last, after a literal.`);
    } else {
      source += '(.+)';
    }
  });
  return new RegExp(`^${source}$`, 'is');
}

function matchComplex(segment: RouteSegment, value: string, params: Record<string, string>): boolean {
  const match = segment.pattern?.exec(value);
  if (!match) return false;
  const parameters = segment.parts.filter(isParameter);
  for (let i = 0; i < parameters.length; i++) {
    const parameter = parameters[i] as ParameterPart;
    const captured = match[i + 1];
    if (captured === undefined) {
      if (parameter.defaultValue !== undefined) params[parameter.name] = parameter.defaultValue;
      continue;
    }
    if (!passes(parameter, captured)) return false;
    params[parameter.name] = captured;
  }
  return true;
}

function passes(parameter: ParameterPart, value: string): boolean {
  return parameter.constraints.every((constraint) => constraint.test(value));
}

function singleParameter(segment: RouteSegment): ParameterPart | undefined {
  const only = segment.parts.length === 1 ? segment.parts[0] : undefined;
  return only?.kind === 'parameter' ? only : undefined;
}

function canBeEmpty(segment: RouteSegment): boolean {
  const single = singleParameter(segment);
  return !!single && (single.optional || single.catchAll || single.defaultValue !== undefined);
}

function isParameter(part: RoutePart): part is ParameterPart {
  return part.kind === 'parameter';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
