import { appProcessEnv } from './node-loader';

/**
 * App settings as bindings see them. Binding properties may name settings as `%NAME%`, and a
 * storage `connection` names the setting that holds the connection string (default
 * AzureWebJobsStorage), also found under the `AzureWebJobs` prefix as the Functions host does.
 */
export type AppSettings = Readonly<Record<string, string | undefined>>;

export function resolveSettingExpressions(value: string, settings: AppSettings): string {
  return value.replace(/%([^%]+)%/g, (_whole, name: string) => {
    const resolved = settings[name];
    if (resolved === undefined) throw new Error(`App setting "${name}" (referenced as %${name}%) is not set.`);
    return resolved;
  });
}

export function storageConnectionString(connection: unknown, settings: AppSettings, functionName: string): string {
  const name = typeof connection === 'string' && connection !== '' ? connection : 'AzureWebJobsStorage';
  const value = settings[name] ?? settings[`AzureWebJobs${name}`];
  if (!value) {
    const identityBased = Object.keys(settings).some((key) => key.startsWith(`${name}__`));
    throw new Error(
      `Function "${functionName}": app setting "${name}" is not set` +
        (identityBased ? ' (identity-based connections are not supported locally)' : '') +
        '; set it to a storage connection string such as Azurite\'s.',
    );
  }
  return value;
}

/**
 * Puts settings into the app's environment (Node's real process.env, which the app reads even
 * when the host runs inside Jest, and the caller's view of it) and returns a function that puts
 * the previous values back, so a test's settings do not leak into later tests in the worker.
 */
export function applyAppSettings(settings: Record<string, string> | undefined): () => void {
  if (!settings || Object.keys(settings).length === 0) return () => {};
  const environments = [...new Set([appProcessEnv(), process.env])];
  const saved = environments.map((env) => Object.keys(settings).map((key) => [key, env[key]] as const));
  for (const env of environments) Object.assign(env, settings);
  return () => {
    environments.forEach((env, i) => {
      for (const [key, value] of saved[i] ?? []) {
        if (value === undefined) delete env[key];
        else env[key] = value;
      }
    });
  };
}

/** The app setting `AzureWebJobs.<name>.Disabled` (true or 1), as the Functions runtime reads it. */
export function functionDisabled(name: string, settings: AppSettings): boolean {
  return /^(true|1)$/i.test((settings[`AzureWebJobs.${name}.Disabled`] ?? '').trim());
}
