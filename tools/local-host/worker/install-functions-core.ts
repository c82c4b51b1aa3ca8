import {
  coreTargetKey,
  createFunctionsCoreModule,
  isFunctionsCoreModule,
  type FunctionsCoreModule,
  type FunctionsCoreState,
} from './functions-core';
import { nodeModuleLoader } from './node-loader';

const coreRequest = '@azure/functions-core';
/** Cache key the request resolves to; not a real file, the cache entry is all Node needs. */
const coreCacheKey = '/@daybreak-local-host/@azure/functions-core.js';
const patchedMarker = Symbol.for('daybreak.localHost.resolvesFunctionsCore');

/**
 * Makes `require('@azure/functions-core')` return the local host's implementation, as the worker
 * does, and points it at `state`. Must run before any app file (and so `@azure/functions`) loads,
 * because the library looks the module up once and remembers a failure as "test mode".
 */
export function installFunctionsCore(state: FunctionsCoreState): FunctionsCoreModule {
  const loader = nodeModuleLoader();

  const resolve = loader._resolveFilename as typeof loader._resolveFilename & { [patchedMarker]?: true };
  if (!resolve[patchedMarker]) {
    const patched = function (this: unknown, request: string, ...rest: unknown[]): string {
      if (request === coreRequest) return coreCacheKey;
      return (resolve as (...args: unknown[]) => string).call(this, request, ...rest);
    } as typeof resolve;
    patched[patchedMarker] = true;
    loader._resolveFilename = patched;
  }

  let moduleObject = loader._cache[coreCacheKey]?.exports as unknown;
  if (!isFunctionsCoreModule(moduleObject)) {
    moduleObject = createFunctionsCoreModule();
    const entry = new loader(coreCacheKey);
    entry.filename = coreCacheKey;
    entry.loaded = true;
    entry.exports = moduleObject;
    loader._cache[coreCacheKey] = entry;
  }
  const core = moduleObject as FunctionsCoreModule;

  // An already-loaded @azure/functions set its programming model on an earlier state and will not
  // set it again; carry it over.
  const previous = core[coreTargetKey];
  if (previous && previous !== state) state.programmingModel ??= previous.programmingModel;
  core[coreTargetKey] = state;
  return core;
}
