// Build step: files the app serves as they are (the API reference's script), copied from npm into dist/static.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(`${root}dist/static`, { recursive: true });
copyFileSync(`${root}node_modules/@scalar/api-reference/dist/browser/standalone.js`, `${root}dist/static/scalar.js`);
