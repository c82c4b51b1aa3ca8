import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FunctionsCoreState, type RegisteredFunction } from './functions-core';
import { expandGlob } from './glob';
import { readHostJson, type HostJsonSettings } from './host-json';
import { installFunctionsCore } from './install-functions-core';
import { consoleLogger, toHostLogLevel, type HostLogger } from './logger';
import { nodeModuleLoader, nodeRequire } from './node-loader';

export interface LoadedApp {
  appRoot: string;
  entryFiles: string[];
  hostJson: HostJsonSettings;
  /** Every registration, in registration order: the only source of routes and bindings. */
  functions: RegisteredFunction[];
  core: FunctionsCoreState;
}

export interface LoadAppOptions {
  logger?: HostLogger;
}

/**
 * Loads a Functions app the way the Node worker does: installs `@azure/functions-core`, then
 * requires every file matching package.json `main` (sorted), capturing their registrations.
 * Entry files run again on every call; modules they import stay cached (as in one worker).
 */
export function loadApp(appRoot: string, options: LoadAppOptions = {}): LoadedApp {
  const root = path.resolve(appRoot);
  const logger = options.logger ?? consoleLogger();

  const packageFile = path.join(root, 'package.json');
  if (!existsSync(packageFile)) throw new Error(`No package.json in ${root}.`);
  const main = (JSON.parse(readFileSync(packageFile, 'utf8')) as { main?: unknown }).main;
  if (typeof main !== 'string' || main.trim() === '') {
    throw new Error(`${packageFile} has no "main" naming the function entry files.`);
  }
  const entryFiles = expandGlob(root, main);
  if (entryFiles.length === 0) {
    throw new Error(`No files match package.json "main" (${main}) under ${root}; is the app built?`);
  }

  const core = new FunctionsCoreState();
  core.logSink = (level, category, message) =>
    logger({ level: toHostLogLevel(level), category: category === 'user' ? 'user' : 'system', message });
  installFunctionsCore(core);

  const loader = nodeModuleLoader();
  const load = nodeRequire(packageFile);
  for (const file of entryFiles) {
    // A second load in the same process (tests) must run the entry files again to register.
    delete loader._cache[file];
    try {
      load(file);
    } catch (error) {
      throw new Error(`Loading ${path.relative(root, file)} failed: ${describe(error)}`, { cause: error });
    }
  }
  core.startupFinished = true;

  const functions = [...core.functions.values()];
  if (functions.length > 0 && !core.programmingModel) {
    throw new Error('Functions were registered but no programming model was set; is @azure/functions v4 used?');
  }
  if (functions.length === 0) {
    logger({ level: 'warning', category: 'host', message: `No functions were registered by ${main}.` });
  }
  return { appRoot: root, entryFiles, hostJson: readHostJson(root), functions, core };
}

function describe(error: unknown): string {
  return error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
    ? String((error as { message: unknown }).message)
    : String(error);
}
