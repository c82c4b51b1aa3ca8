import type { RegisteredFunction } from '../worker/functions-core';
import {
  compareRoutePrecedence,
  matchRouteTemplate,
  parseRouteTemplate,
  splitPath,
  type RouteTemplate,
} from './route-template';

export interface HttpRoute {
  functionName: string;
  template: RouteTemplate;
  /** Upper-case methods; undefined accepts every method. */
  methods: string[] | undefined;
  authLevel: string | undefined;
}

export type RouteResolution =
  | { kind: 'match'; route: HttpRoute; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/** The HTTP routes of the registered functions, read from their trigger bindings. */
export function httpRoutesFrom(functions: readonly RegisteredFunction[]): HttpRoute[] {
  return functions
    .filter((fn) => String(fn.trigger.type).toLowerCase() === 'httptrigger')
    .map((fn) => {
      const { route, methods, authLevel } = fn.trigger;
      const text = typeof route === 'string' ? route : fn.name;
      let template: RouteTemplate;
      try {
        template = parseRouteTemplate(text);
      } catch (error) {
        throw new Error(`Function "${fn.name}": ${(error as Error).message}`, { cause: error });
      }
      const list = Array.isArray(methods) && methods.length > 0 ? methods.map((m) => String(m).toUpperCase()) : undefined;
      return {
        functionName: fn.name,
        template,
        methods: list,
        authLevel: typeof authLevel === 'string' ? authLevel : undefined,
      };
    });
}

/**
 * Resolves a request to a function in ASP.NET precedence order (route-template.ts). A path that some route matches,
 * but none for this method, is "method not allowed" (with the methods that would be).
 */
export class RouteTable {
  readonly routes: readonly HttpRoute[];
  readonly #prefix: string[];

  constructor(routes: readonly HttpRoute[], routePrefix: string) {
    this.routes = [...routes].sort(
      (a, b) =>
        compareRoutePrecedence(a.template, b.template) ||
        a.template.text.toLowerCase().localeCompare(b.template.text.toLowerCase()) ||
        a.functionName.localeCompare(b.functionName),
    );
    this.#prefix = splitPath(routePrefix);
    assertNoConflicts(this.routes);
  }

  /** Whether the path is under the route prefix as this table reads it (case-insensitive, percent-decoded). */
  ownsPath(pathname: string): boolean {
    const path = splitPath(pathname);
    return this.#prefix.every((segment, i) => path[i]?.toLowerCase() === segment.toLowerCase());
  }

  resolve(method: string, pathname: string): RouteResolution {
    if (!this.ownsPath(pathname)) return { kind: 'not-found' };
    const rest = splitPath(pathname).slice(this.#prefix.length);

    const upper = method.toUpperCase();
    const allow = new Set<string>();
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchRouteTemplate(route.template, rest);
      if (!params) continue;
      if (!route.methods || route.methods.includes(upper)) return { kind: 'match', route, params };
      pathMatched = true;
      route.methods.forEach((m) => allow.add(m));
    }
    return pathMatched ? { kind: 'method-not-allowed', allow: [...allow].sort() } : { kind: 'not-found' };
  }
}

/** Two functions on the same template and method would be ambiguous; the Functions host refuses them too. */
function assertNoConflicts(routes: readonly HttpRoute[]): void {
  const seen = new Map<string, HttpRoute[]>();
  for (const route of routes) {
    const key = shapeOf(route.template);
    const others = seen.get(key) ?? [];
    for (const other of others) {
      const overlap = !route.methods || !other.methods || route.methods.some((m) => other.methods?.includes(m));
      if (overlap) {
        throw new Error(
          `Functions "${other.functionName}" and "${route.functionName}" both serve route "${route.template.text}" for the same method.`,
        );
      }
    }
    seen.set(key, [...others, route]);
  }
}

function shapeOf(template: RouteTemplate): string {
  return template.segments.map((s) => (s.kind === 'literal' ? s.text.toLowerCase() : s.kind === 'parameter' ? '{}' : '{*}')).join('/');
}
