// The console's build: static files in dist/console, served by the local host under / (the API stays under /api/),
// and in Azure by a Static Web App (infra/app/console.bicep).
import { fileURLToPath, URL } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { azureConsoleFiles, azureConsoleSettings } from '../tools/console/page-headers';

/**
 * An Azure build (azd's prepackage hook, with the CONSOLE_* values of the environment) adds
 * staticwebapp.config.json (the security headers, the fallback to index.html) and console-config.json
 * (Entra ID sign-in). A local build adds neither: the local host answers /console-config.json itself.
 */
function azureFiles(): Plugin {
  return {
    name: 'daybreak-azure-files',
    apply: 'build',
    generateBundle() {
      const settings = azureConsoleSettings(process.env);
      if (!settings) return;
      for (const [fileName, source] of Object.entries(azureConsoleFiles(settings))) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // Preact's automatic JSX runtime (the same settings as console/tsconfig.json, for the type check).
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [azureFiles()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The budget test reads the built files; a source map would only be noise in dist/.
    sourcemap: false,
  },
  logLevel: 'warn',
});
