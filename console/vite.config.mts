// The console's build: static files in dist/console, served by the local host under / (the API stays under /api/).
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // Preact's automatic JSX runtime (the same settings as console/tsconfig.json, for the type check).
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The budget test reads the built files; a source map would only be noise in dist/.
    sourcemap: false,
  },
  logLevel: 'warn',
});
