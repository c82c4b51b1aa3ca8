import type { TokenCredential } from '@azure/identity';

/**
 * In Azure (a connection string is set), the worker's traces and logs go to Application Insights
 * through the Azure Monitor OpenTelemetry distro, authenticated with the app's managed identity
 * (the resource refuses key-based ingestion); the Functions instrumentation gives each invocation
 * the host's trace context, so the host's and the worker's telemetry share one trace, and every
 * log line carries the request id. Locally nothing is exported and nothing is loaded: the distro
 * takes about a second to load, which every local start and test stack would pay.
 */
let started = false;

export function startTelemetry(credential: () => TokenCredential, env: NodeJS.ProcessEnv = process.env): boolean {
  if (started || !env.APPLICATIONINSIGHTS_CONNECTION_STRING) return started;
  started = true;
  // Loaded only here, synchronously, so the first invocation is traced too (see above for why not at import).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { useAzureMonitor } = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  const { AzureFunctionsInstrumentation } = require('@azure/functions-opentelemetry-instrumentation') as typeof import('@azure/functions-opentelemetry-instrumentation');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  /* eslint-enable @typescript-eslint/no-require-imports */
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING, credential: credential() } });
  registerInstrumentations({ instrumentations: [new AzureFunctionsInstrumentation()] });
  return true;
}
