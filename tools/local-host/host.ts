/**
 * The local functions host: plays the part of the Azure Functions Node worker and host for
 * `npm start` and integration tests, where Core Tools cannot be installed. It provides
 * `@azure/functions-core`, loads the app's entry files, and drives HTTP, blob, queue and timer
 * triggers from the registrations alone (no second route table). Where Core Tools are installed,
 * `func start` runs the same app.
 *
 * HTTP streaming (app.setup({ enableHttpStream })) works as in the runtime: the host asks the
 * library for its capabilities at startup and, given an `HttpUri`, hands every HTTP request to
 * the library's proxy server, which writes the response (http-stream-proxy.ts).
 *
 * Not simulated: auth keys (authLevel), input/output bindings other than the HTTP response,
 * retry policies, and other trigger types.
 */
import type { RpcBindingInfo } from './worker/core-types';
import { applyAppSettings, functionDisabled, resolveSettingExpressions, storageConnectionString, type AppSettings } from './worker/app-settings';
import { BlobTrigger } from './triggers/blob-trigger';
import type { RegisteredFunction } from './worker/functions-core';
import { startHttpServer, type ExtraRoute } from './http/http-server';
import { connectStreamProxy } from './http/http-stream-proxy';
import { FunctionInvoker } from './worker/invoke-function';
import { loadApp, type LoadedApp } from './worker/load-app';
import { consoleLogger, type HostLogger } from './worker/logger';
import { appProcessEnv } from './worker/node-loader';
import { QueueTrigger } from './triggers/queue-trigger';
import { httpRoutesFrom, RouteTable } from './http/route-table';
import { TimerTrigger } from './triggers/timer-trigger';

export type TriggerKind = 'http' | 'blob' | 'queue' | 'timer';

export interface StartHostOptions {
  /** Folder with package.json (`main`) and host.json; default the current directory. */
  appRoot?: string;
  /** An app already loaded with loadApp(); appRoot is then ignored. */
  app?: LoadedApp;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 7071; 0 picks a free port. */
  port?: number;
  /** App settings put into the app's environment before it loads (they win); restored by close(). */
  settings?: Record<string, string>;
  logger?: HostLogger;
  /** Fixed paths served outside the route prefix, e.g. `/.well-known/jwks.json`. */
  extraRoutes?: ExtraRoute[];
  /** A folder of static files served outside the route prefix, e.g. the web console (dist/console). */
  siteRoot?: string;
  /** Origins the site's pages may connect to besides their own (the blob endpoint of upload URLs). */
  siteConnectSources?: string[];
  /** Trigger kinds to run; all by default. Functions of a disabled kind are listed but never invoked. */
  triggers?: Partial<Record<TriggerKind, boolean>>;
  /** Default 100 MiB; larger request bodies get 413. */
  maxRequestBodyBytes?: number;
  /** Default 500 ms. */
  blobPollIntervalMs?: number;
  /** Blobs above this size (default 16 MiB) reach the handler as empty bytes; see BlobTrigger. */
  blobInputMaxBytes?: number;
  /** Shortest queue poll interval (default 100 ms); the longest is host.json maxPollingInterval (2 s). */
  queuePollIntervalMs?: number;
  /** How long close() waits for in-flight HTTP requests before cutting them (default 10 s). */
  closeGraceMs?: number;
}

export interface HostedFunction {
  name: string;
  /** The trigger binding type, e.g. httpTrigger, blobTrigger. */
  triggerType: string;
  binding: RpcBindingInfo;
  /** Whether the local host runs it (false for disabled kinds and triggers it cannot drive). */
  active: boolean;
  /** HTTP functions: the URL template and methods (undefined = any). */
  url?: string;
  methods?: string[];
}

export interface LocalHost {
  url: string;
  port: number;
  functions: HostedFunction[];
  /** Resolves once every blob and queue trigger has polled and found nothing more to do. */
  drain(): Promise<void>;
  /** Runs a timer function now (after a run in progress); rejects if it fails. */
  runTimer(name: string): Promise<void>;
  /** Stops accepting, lets in-flight work finish, stops every poller and timer, runs appTerminate hooks. */
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

/** Serves a Functions app locally: HTTP routes, blob, queue and timer triggers, all from its registrations. */
export async function startHost(options: StartHostOptions = {}): Promise<LocalHost> {
  const logger = options.logger ?? consoleLogger();
  const restoreSettings = applyAppSettings(options.settings);
  try {
    return await serve(options, logger, restoreSettings);
  } catch (error) {
    restoreSettings();
    throw error;
  }
}

async function serve(options: StartHostOptions, logger: HostLogger, restoreSettings: () => void): Promise<LocalHost> {
  const app = options.app ?? loadApp(options.appRoot ?? process.cwd(), { logger });
  const settings: AppSettings = appProcessEnv();
  const enabled = (kind: TriggerKind): boolean => options.triggers?.[kind] ?? true;
  const invoker = new FunctionInvoker(app.core, logger);

  // `AzureWebJobs.<name>.Disabled` = true: the runtime ignores that function's trigger (an HTTP one answers 404).
  const runnable = app.functions.filter((fn) => !functionDisabled(fn.name, settings));
  for (const fn of app.functions.filter((f) => !runnable.includes(f))) {
    logger({ level: 'information', category: 'host', message: `Function disabled by AzureWebJobs.${fn.name}.Disabled.`, functionName: fn.name });
  }
  const httpFunctions = enabled('http') ? runnable : [];
  const routes = new RouteTable(httpRoutesFrom(httpFunctions), app.hostJson.routePrefix);
  const functionsByName = new Map(app.functions.map((fn) => [fn.name, fn]));

  // Everything that can fail on configuration is built before anything starts.
  const blobTriggers: BlobTrigger[] = [];
  const queueTriggers: QueueTrigger[] = [];
  const timers = new Map<string, TimerTrigger>();
  const active = new Set<string>(routes.routes.map((r) => r.functionName));
  for (const fn of runnable) {
    const type = String(fn.trigger.type).toLowerCase();
    const binding = fn.trigger;
    if (type === 'blobtrigger' && enabled('blob')) {
      blobTriggers.push(
        new BlobTrigger({
          fn,
          path: resolveSettingExpressions(String(binding.path ?? ''), settings),
          connectionString: storageConnectionString(binding.connection, settings, fn.name),
          pollIntervalMs: options.blobPollIntervalMs ?? 500,
          maxInputBytes: options.blobInputMaxBytes ?? 16 * MiB,
          maxAttempts: 5,
          invoker,
          logger,
        }),
      );
      if (binding.source === 'EventGrid') {
        logger({
          level: 'information',
          category: 'host',
          message: 'Event Grid blob source: delivered locally by scanning the container.',
          functionName: fn.name,
        });
      }
      active.add(fn.name);
    } else if (type === 'queuetrigger' && enabled('queue')) {
      queueTriggers.push(
        new QueueTrigger({
          fn,
          queueName: resolveSettingExpressions(String(binding.queueName ?? ''), settings).toLowerCase(),
          connectionString: storageConnectionString(binding.connection, settings, fn.name),
          batchSize: app.hostJson.queues.batchSize,
          maxDequeueCount: app.hostJson.queues.maxDequeueCount,
          minPollIntervalMs: options.queuePollIntervalMs ?? 100,
          maxPollIntervalMs: app.hostJson.queues.maxPollingIntervalMs,
          visibilityTimeoutSeconds: 300,
          retryVisibilitySeconds: Math.round(app.hostJson.queues.visibilityTimeoutMs / 1000),
          invoker,
          logger,
        }),
      );
      active.add(fn.name);
    } else if (type === 'timertrigger' && enabled('timer')) {
      timers.set(
        fn.name,
        new TimerTrigger({
          fn,
          schedule: resolveSettingExpressions(String(binding.schedule ?? ''), settings),
          runOnStartup: binding.runOnStartup === true,
          invoker,
          logger,
        }),
      );
      active.add(fn.name);
    } else if (!['httptrigger', 'blobtrigger', 'queuetrigger', 'timertrigger'].includes(type)) {
      logger({ level: 'warning', category: 'host', message: `Trigger type "${fn.trigger.type}" is not run locally.`, functionName: fn.name });
    }
    warnAboutIgnoredBindings(fn, logger);
  }
  if (routes.routes.some((r) => r.authLevel !== undefined && r.authLevel.toLowerCase() !== 'anonymous')) {
    logger({
      level: 'information',
      category: 'host',
      message: 'authLevel (function/admin keys) is not enforced by the local host; every route is anonymous.',
    });
  }

  await invoker.runAppHooks('appStart', app.appRoot);
  // As the worker does at startup; the library answers with HttpUri when the app streams HTTP.
  const capabilities = (await app.core.programmingModel?.getCapabilities?.({})) ?? {};
  const streamProxy = capabilities.HttpUri && routes.routes.length > 0 ? await connectStreamProxy(capabilities.HttpUri) : undefined;
  const server = await startHttpServer({
    streamProxy,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 7071,
    routes,
    functions: functionsByName,
    invoker,
    extraRoutes: options.extraRoutes ?? [],
    // With no route prefix the API owns every path, and there is nowhere to put a site.
    ...(options.siteRoot && app.hostJson.routePrefix ? { site: { root: options.siteRoot, isApiPath: (pathname: string) => routes.ownsPath(pathname), connectSources: options.siteConnectSources ?? [] } } : {}),
    maxRequestBodyBytes: options.maxRequestBodyBytes ?? 100 * MiB,
    closeGraceMs: options.closeGraceMs ?? 10_000,
    logger,
  });
  const pollers = [...blobTriggers, ...queueTriggers];
  pollers.forEach((poller) => poller.start());
  timers.forEach((timer) => timer.start());

  const prefix = app.hostJson.routePrefix ? `/${app.hostJson.routePrefix}` : '';
  const routeByName = new Map(routes.routes.map((r) => [r.functionName, r]));
  const functions: HostedFunction[] = app.functions.map((fn) => {
    const route = routeByName.get(fn.name);
    return {
      name: fn.name,
      triggerType: String(fn.trigger.type),
      binding: fn.trigger,
      active: active.has(fn.name),
      ...(route
        ? { url: `${server.url}${prefix}/${route.template.text}`, ...(route.methods ? { methods: route.methods } : {}) }
        : {}),
    };
  });

  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    functions,
    async drain() {
      await Promise.all(pollers.map((poller) => poller.drain()));
    },
    runTimer(name) {
      const timer = timers.get(name);
      if (!timer) return Promise.reject(new Error(`No active timer function named "${name}".`));
      return timer.runNow();
    },
    close() {
      closing ??= (async () => {
        await Promise.all([server.close(), ...pollers.map((p) => p.stop()), ...[...timers.values()].map((t) => t.stop())]);
        // The library's own streaming server (its HttpUri) goes with the host: in a process that
        // starts hosts in turn (tests run in band) it would otherwise keep listening, and the process alive.
        if (streamProxy) {
          await new Promise<void>((resolve) => {
            streamProxy.server.close(() => resolve());
            streamProxy.server.closeAllConnections();
          });
        }
        await invoker.runAppHooks('appTerminate', app.appRoot).catch((error: unknown) =>
          logger({ level: 'warning', category: 'host', message: 'An appTerminate hook failed.', error }),
        );
        restoreSettings();
      })();
      return closing;
    },
  };
}

/** Input and output bindings other than the HTTP response are the runtime's job; say so once. */
function warnAboutIgnoredBindings(fn: RegisteredFunction, logger: HostLogger): void {
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (name === fn.triggerName) continue;
    if (String(binding.type).toLowerCase() === 'http' && binding.direction === 'out') continue;
    logger({
      level: 'warning',
      category: 'host',
      message: `Binding "${name}" (${String(binding.type)}, ${String(binding.direction)}) is ignored by the local host.`,
      functionName: fn.name,
    });
  }
}

export type { LoadedApp } from './worker/load-app';
export type { ExtraRoute, ExtraRouteRequest } from './http/http-server';
export type { HostLogEntry, HostLogger } from './worker/logger';
