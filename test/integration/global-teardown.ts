import type { StackProcess } from '../../tools/local/stack-process';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __daybreakStack?: StackProcess }).__daybreakStack?.stop();
}
