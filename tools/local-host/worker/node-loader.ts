import visibleModule from 'node:module';

/** The parts of Node's CommonJS loader the local host relies on (internal but stable since Node 0.x). */
export interface NodeModuleLoader {
  new (id: string): NodeJS.Module;
  _cache: Record<string, NodeJS.Module | undefined>;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  createRequire(path: string): NodeJS.Require;
}

/**
 * Node's own CommonJS loader. Under Jest `require('module')` is a sandbox subclass whose statics
 * are copies, and Jest resolves modules itself; the app must be loaded by Node's loader so that
 * it, `@azure/functions` and the injected core module share one module cache, as in the worker.
 */
export function nodeModuleLoader(): NodeModuleLoader {
  const visible = visibleModule as unknown as NodeModuleLoader;
  const parent: unknown = Object.getPrototypeOf(visible);
  if (typeof parent === 'function' && Object.prototype.hasOwnProperty.call(parent, '_resolveFilename')) {
    return parent as NodeModuleLoader;
  }
  return visible;
}

/** A require() that goes through Node's loader even when this file runs inside Jest. */
export function nodeRequire(fromFile: string): NodeJS.Require {
  return nodeModuleLoader().createRequire(fromFile);
}

/**
 * The environment the app sees. Jest gives each test file a copy of process.env, while the app
 * (loaded by Node's loader) reads the real one; settings must go there.
 */
export function appProcessEnv(): NodeJS.ProcessEnv {
  return (nodeRequire(__filename)('node:process') as NodeJS.Process).env;
}
