import { randomUUID } from 'node:crypto';
import type {
  CoreInvocationContext,
  FunctionCallback,
  HookContext,
  HookName,
  InvocationContextLike,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  RpcParameterBinding,
  RpcTypedData,
} from './core-types';
import type { FunctionsCoreState, RegisteredFunction } from './functions-core';
import { toHostLogLevel, type HostLogger } from './logger';

export interface InvocationInput {
  /** Why the function runs, for the log ("New queue message detected on 'x'"). */
  reason: string;
  inputData: RpcParameterBinding[];
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
}

export interface InvocationResult {
  invocationId: string;
  response: RpcInvocationResponse;
}

/** Error thrown when a function (or a hook around it) fails; carries the invocation id. */
export class FunctionInvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly invocationId: string,
    override readonly cause: unknown,
  ) {
    super(`Function "${functionName}" failed (invocation ${invocationId}).`);
    this.name = 'FunctionInvocationError';
  }
}

/**
 * Runs functions exactly as the Node worker's invocation handler does: the programming model
 * builds the arguments, pre/post invocation hooks run around the handler, and the model turns
 * the result into an RPC response.
 */
export class FunctionInvoker {
  readonly #core: FunctionsCoreState;
  readonly #logger: HostLogger;

  constructor(core: FunctionsCoreState, logger: HostLogger) {
    this.#core = core;
    this.#logger = logger;
  }

  async invoke(fn: RegisteredFunction, input: InvocationInput): Promise<InvocationResult> {
    const invocationId = input.invocationId ?? randomUUID();
    const model = this.#core.programmingModel;
    if (!model) throw new Error('No programming model was registered.');
    const started = Date.now();
    this.#logger({
      level: 'information',
      category: 'host',
      message: `Executing '${fn.name}' (Reason='${input.reason}')`,
      functionName: fn.name,
      invocationId,
    });

    let invocationContext: InvocationContextLike | undefined;
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.name,
        inputData: input.inputData,
        triggerMetadata: input.triggerMetadata ?? {},
      },
      metadata: fn.metadata,
      state: undefined,
      log: (level, category, message) => this.#log(fn.name, invocationId, level, category, message, invocationContext),
    };

    try {
      const invocationModel = await model.getInvocationModel(coreCtx);
      const { context, inputs: initialInputs } = await invocationModel.getArguments();
      invocationContext = context;
      const hookData: Record<string, unknown> = {};

      const pre: HookContext = {
        hookData,
        appHookData: this.#core.appHookData,
        invocationContext: context,
        functionCallback: fn.callback,
        inputs: initialInputs,
      };
      coreCtx.state = 'preInvocationHooks';
      try {
        await this.#runHooks('preInvocation', pre);
      } finally {
        coreCtx.state = undefined;
      }
      const inputs = pre.inputs as unknown[];
      const callback = pre.functionCallback as FunctionCallback;

      const post: HookContext = {
        hookData,
        appHookData: this.#core.appHookData,
        invocationContext: context,
        inputs,
        result: null,
        error: null,
      };
      coreCtx.state = 'invocation';
      try {
        post.result = await invocationModel.invokeFunction(context, inputs, callback);
      } catch (error) {
        post.error = error;
      } finally {
        coreCtx.state = undefined;
      }
      coreCtx.state = 'postInvocationHooks';
      try {
        await this.#runHooks('postInvocation', post);
      } finally {
        coreCtx.state = undefined;
      }
      // Hooks may clear or replace the error, as in the worker.
      if (post.error) throw post.error;

      const response = await invocationModel.getResponse(context, post.result);
      this.#logger({
        level: 'information',
        category: 'host',
        message: `Executed '${fn.name}' (Succeeded, Duration=${Date.now() - started}ms)`,
        functionName: fn.name,
        invocationId,
      });
      return { invocationId, response };
    } catch (error) {
      this.#logger({
        level: 'error',
        category: 'host',
        message: `Executed '${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
        functionName: fn.name,
        invocationId,
        error,
      });
      throw new FunctionInvocationError(fn.name, invocationId, error);
    }
  }

  /** appStart / appTerminate hooks, with the app-level hook data the worker keeps. */
  async runAppHooks(hookName: 'appStart' | 'appTerminate', functionAppDirectory: string): Promise<void> {
    await this.#runHooks(hookName, { hookData: {}, appHookData: this.#core.appHookData, functionAppDirectory });
  }

  async #runHooks(hookName: HookName, context: HookContext): Promise<void> {
    for (const callback of [...this.#core.hooks[hookName]]) await callback(context);
  }

  #log(
    functionName: string,
    invocationId: string,
    level: RpcLogLevel,
    category: RpcLogCategory,
    message: string,
    invocationContext: InvocationContextLike | undefined,
  ): void {
    let finalLevel: string = level;
    let finalMessage = message;
    const hooks = this.#core.hooks.log;
    if (hooks.length > 0 && category === 'user') {
      const hookContext: HookContext = {
        hookData: {},
        appHookData: this.#core.appHookData,
        level,
        category,
        message,
        invocationContext,
      };
      for (const hook of [...hooks]) {
        try {
          void hook(hookContext);
        } catch (error) {
          this.#logger({ level: 'warning', category: 'host', message: 'A log hook threw.', functionName, invocationId, error });
        }
      }
      finalLevel = String(hookContext.level);
      finalMessage = String(hookContext.message);
    }
    if (finalLevel === 'none') return;
    this.#logger({
      level: toHostLogLevel(finalLevel),
      category: category === 'user' ? 'user' : 'system',
      message: finalMessage,
      functionName,
      invocationId,
    });
  }
}
