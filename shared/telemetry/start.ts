/**
 * Imported first by each edge (route.ts, trigger.ts), before `@azure/functions` is loaded: the
 * Functions instrumentation patches that module as it is required, so started any later, the
 * invocations' trace context and log hook depended on some other file requiring it again.
 */
import { azureCredential } from '../adapters/azure-clients';
import { startTelemetry } from '../adapters/telemetry';

startTelemetry(azureCredential);
