import type {
  Disposable,
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookData,
  HookName,
  ProgrammingModel,
  RpcBindingInfo,
  RpcLogCategory,
  RpcLogLevel,
} from './core-types';

/** A function as the app registered it: the library's metadata plus the real handler. */
export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  /** Binding name of the trigger (the key in metadata.bindings). */
  triggerName: string;
  trigger: RpcBindingInfo;
}

export type CoreLogSink = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

class CoreDisposable implements Disposable {
  #callback: (() => void) | undefined;
  constructor(callback: () => void) {
    this.#callback = callback;
  }
  dispose(): void {
    const callback = this.#callback;
    this.#callback = undefined;
    callback?.();
  }
}

const hookNames: readonly HookName[] = ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'];

/**
 * Everything one app load registers through `@azure/functions-core`: functions, hooks and the
 * programming model. The worker keeps the same state per process; the local host keeps it per
 * loadApp() so a test process can load an app more than once.
 */
export class FunctionsCoreState {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks: Record<HookName, HookCallback[]> = {
    appStart: [],
    appTerminate: [],
    preInvocation: [],
    postInvocation: [],
    log: [],
  };
  readonly appHookData: HookData = {};
  programmingModel: ProgrammingModel | undefined;
  startupFinished = false;
  logSink: CoreLogSink = () => {};

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    // Same rule as the worker: the function list is fixed once the app has started.
    if (this.startupFinished) throw new Error('A function can only be registered during app startup.');
    const name = metadata?.name;
    if (typeof name !== 'string' || name === '') throw new Error('A function registration has no name.');
    if (this.functions.has(name)) throw new Error(`A function named "${name}" is already registered.`);
    if (typeof callback !== 'function') throw new Error(`Function "${name}" has no handler.`);
    const triggerEntry = Object.entries(metadata.bindings ?? {}).find(([, binding]) =>
      /trigger$/i.test(String(binding.type ?? '')),
    );
    if (!triggerEntry) throw new Error(`Function "${name}" has no trigger binding.`);
    const [triggerName, trigger] = triggerEntry;
    this.functions.set(name, { name, metadata, callback, triggerName, trigger });
    return new CoreDisposable(() => {
      if (this.startupFinished) throw new Error('A function can only be disposed during app startup.');
      this.functions.delete(name);
    });
  }

  registerHook(hookName: string, callback: HookCallback): Disposable {
    if (!hookNames.includes(hookName as HookName)) {
      // The library turns a RangeError marked as a system error into its "host too old" message.
      const error = new RangeError(`Unrecognized hook "${hookName}"`) as RangeError & {
        isAzureFunctionsSystemError?: boolean;
      };
      error.isAzureFunctionsSystemError = true;
      throw error;
    }
    const list = this.hooks[hookName as HookName];
    list.push(callback);
    return new CoreDisposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  }

  setProgrammingModel(model: ProgrammingModel): void {
    this.programmingModel = model;
  }

  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
    this.logSink(level, category, message);
  }
}

/** Property of the module object that points at the state of the app being loaded or served. */
export const coreTargetKey = '__daybreakLocalHostTarget';

export interface FunctionsCoreModule {
  readonly version: string;
  readonly hostVersion: string;
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable;
  registerHook(hookName: string, callback: HookCallback): Disposable;
  setProgrammingModel(model: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
  Disposable: typeof CoreDisposable;
  [coreTargetKey]: FunctionsCoreState | undefined;
}

/**
 * The object `require('@azure/functions-core')` returns. `@azure/functions` caches it for the life
 * of the process, so it delegates to a replaceable target instead of closing over one state.
 */
export function createFunctionsCoreModule(): FunctionsCoreModule {
  const moduleObject: FunctionsCoreModule = {
    version: '4.0.0-daybreak-local-host',
    hostVersion: '4.0.0-daybreak-local-host',
    registerFunction: (metadata, callback) => target().registerFunction(metadata, callback),
    registerHook: (hookName, callback) => target().registerHook(hookName, callback),
    setProgrammingModel: (model) => target().setProgrammingModel(model),
    getProgrammingModel: () => moduleObject[coreTargetKey]?.programmingModel,
    log: (level, category, message) => moduleObject[coreTargetKey]?.log(level, category, message),
    Disposable: CoreDisposable,
    [coreTargetKey]: undefined,
  };
  function target(): FunctionsCoreState {
    const state = moduleObject[coreTargetKey];
    if (!state) throw new Error('@azure/functions-core is only available while the local host runs an app.');
    return state;
  }
  return moduleObject;
}

export function isFunctionsCoreModule(value: unknown): value is FunctionsCoreModule {
  return typeof value === 'object' && value !== null && coreTargetKey in value;
}
