/**
 * The Azure Functions runtime, as the two edges use it: `shared/http/route.ts` registers the HTTP
 * routes and `shared/triggers/trigger.ts` the queue, timer and blob triggers. Like the store and
 * the queues, the runtime is reached only through an adapter.
 */
export { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
