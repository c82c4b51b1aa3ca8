import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { httpRoute, streamed } from '../shared/http/route';

/**
 * The browsable API reference (issue 23): Scalar's standalone bundle, copied from npm into
 * dist/static at build time and served by the app itself (no CDN), reading the same OpenAPI
 * document the service publishes. A newcomer pastes a token under Authentication and tries calls.
 * Scalar's hosted extras (telemetry, its AI agent, developer tools, its web fonts) are off: the page
 * talks only to this service, which its headers enforce (people paste tokens into it).
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Daybreak API reference</title>
</head>
<body>
  <script id="api-reference" data-url="/api/v1/openapi.json" data-configuration='{"hideClientButton":true,"telemetry":false,"showDeveloperTools":"never","agent":{"disabled":true},"mcp":{"disabled":true},"withDefaultFonts":false,"authentication":{"preferredSecurityScheme":"bearer"}}'></script>
  <script src="/api/docs/scalar.js"></script>
</body>
</html>
`;

/** The page may load and call only this service, in no frame, and tells nobody where it was. */
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

let bundle: Promise<Buffer> | undefined;
const scalar = () => (bundle ??= readFile(path.resolve(__dirname, '../static/scalar.js')));

async function* once(data: Buffer | string): AsyncGenerator<Uint8Array> {
  yield typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

httpRoute({
  name: 'docs',
  method: 'GET',
  route: 'docs',
  summary: 'The interactive API reference (a page: paste a token and try calls)',
  tag: 'Operations',
  anonymous: true,
  responses: { 200: { description: 'The reference page', contentTypes: ['text/html; charset=utf-8'] } },
  handler: async () => streamed(200, 'text/html; charset=utf-8', once(PAGE), PAGE_HEADERS),
});

httpRoute({
  name: 'docs-script',
  method: 'GET',
  route: 'docs/scalar.js',
  summary: "The reference page's script (Scalar API Reference, served by the app)",
  tag: 'Operations',
  anonymous: true,
  responses: { 200: { description: 'JavaScript', contentTypes: ['text/javascript; charset=utf-8'] } },
  handler: async () => streamed(200, 'text/javascript; charset=utf-8', once(await scalar()), { 'cache-control': 'public, max-age=86400' }),
});
