import { appCode } from '../support/app-sources';

/**
 * Cosmos DB lives behind repositories: outside shared/adapters and the `*-repository.ts` files, no
 * code in functions/ or shared/ holds query text, reaches a container, or calls the batch, read and
 * query helpers that talk to Cosmos DB. A use case takes what it needs from a repository (or a
 * store it is given), so its logic has unit tests without the emulators. (Azure SDK imports are
 * eslint's: eslint.config.mjs. Blobs are reached through the adapters' blob modules, whose helpers
 * use cases may call, as they take no query and no key.)
 */
const STORAGE = [
  /\.items\.(query|readAll|create|upsert|batch|bulk|changeFeed)|\.item\(|\.fetchAll\(|\.fetchNext\(/, // the SDK's items and iterators
  /\bcontainer\(\s*['"`]/, // a container by name
];
/** The adapters' helpers that talk to a store (the operation builders, error tests and limits are data). */
const STORE_CALLS = new Set(
  'container readIfExists queryAll replaceIfUnchanged deleteIfExists readBatch tryBatch batchOutcome deleteBatch deleteGrouped readMany createManyOnce writeMany writeManyResults cosmosClient database blobServiceClient queueServiceClient'.split(' '),
);
const ADAPTER_IMPORT = /import\s*\{([^}]*)\}\s*from\s*'(?:[^']*\/)?adapters\/[\w-]+'/g;
/** A whole adapter module of Cosmos calls imported under a name. */
const ADAPTER_NAMESPACE = /import\s*\*\s*as\s+\w+\s+from\s*'(?:[^']*\/)?adapters\/(?:cosmos-[\w-]+|azure-clients)'/g;
/** Query text (upper case, as every query here is written), over line breaks too. */
const QUERY = /\bSELECT\b[\s\S]{0,200}?\bFROM\s+\w+/g;

/** Each forbidden line of a file, and each store helper it imports from an adapter. */
function storageIn(text: string): string[] {
  const lines = text.split('\n').filter((line) => STORAGE.some((p) => p.test(line)));
  const queries = [...text.matchAll(QUERY)].map((m) => m[0].replace(/\s+/g, ' '));
  const namespaces = [...text.matchAll(ADAPTER_NAMESPACE)].map((m) => m[0]);
  const imported = [...text.matchAll(ADAPTER_IMPORT)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!));
  return [...queries, ...namespaces, ...lines.map((l) => l.trim()), ...imported.filter((n) => STORE_CALLS.has(n)).map((n) => `imports ${n}`)];
}

const outsideStorage = (f: string) => !f.startsWith('shared/adapters/') && !f.endsWith('-repository.ts');

it('keeps query text and Cosmos calls in shared/adapters and the repositories', () => {
  const offenders = appCode()
    .filter(({ file }) => outsideStorage(file))
    .flatMap(({ file, code }) => storageIn(code).map((what) => `${file}: ${what}`));
  expect(offenders).toEqual([]);
});

it('finds what it forbids (the check is not vacuous)', () => {
  expect(storageIn("const q = 'SELECT * FROM c WHERE c.orgId = @o';")).toHaveLength(1);
  expect(storageIn("await container('events').items.upsert(doc);")).toHaveLength(1);
  expect(storageIn("import { MAX_BATCH_OPERATIONS,\n  readBatch } from '../adapters/cosmos-batch';")).toEqual(['imports readBatch']);
  expect(storageIn("import { isConflict } from '../adapters/cosmos-errors';\nconst n = page.items.length;")).toEqual([]);
  // From functions/ too, a whole module under a name, and query text over several lines.
  expect(storageIn("import { readBatch } from '../shared/adapters/cosmos-batch';")).toEqual(['imports readBatch']);
  expect(storageIn("import * as batch from '../adapters/cosmos-batch';")).toHaveLength(1);
  expect(storageIn('const q = `SELECT c.id\n  FROM c\n  WHERE c.orgId = @o`;')).toHaveLength(1);
});
