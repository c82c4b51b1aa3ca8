import path from 'node:path';
import { loadLocalSettings } from '../../tools/local/local-settings';
import { startStackProcess } from '../../tools/local/stack-process';
import { testStackSettings } from './support/stack-settings';

/**
 * Starts the real stack the way `npm start` does (compiled app, local host, Azurite and the
 * Cosmos-protocol server) on free ports. Settings reach the tests through process.env, which
 * jest workers inherit; the rest (keys, issuer) come from the sample settings, so tests can
 * also reach the emulators directly.
 */
export default async function globalSetup(): Promise<void> {
  // Timers off: see testStackSettings.
  const stack = await startStackProcess(undefined, testStackSettings());
  Object.assign(process.env, stack.env);
  loadLocalSettings(path.resolve(__dirname, '../..'));
  (globalThis as { __daybreakStack?: typeof stack }).__daybreakStack = stack;
}
