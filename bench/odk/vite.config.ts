// Build of the ODK Web Forms baseline page alone (bench/odk), minified and with the same Brotli and
// gzip copies the app's build writes, into bench/.odk-dist: never part of the app's build, byte
// budgets or precache.
import { fileURLToPath } from 'node:url';
import { defineConfig, type InlineConfig } from 'vite';
import { precompress } from '../../vite.config.ts';

export const ODK_ROOT = fileURLToPath(new URL('.', import.meta.url));
export const ODK_DIST = fileURLToPath(new URL('../.odk-dist', import.meta.url));

/** The page's build; `compress: false` skips the Brotli copies (seconds of CPU) where no one serves it. */
export function odkBuildConfig(outDir = ODK_DIST, compress = true): InlineConfig {
  return {
    root: ODK_ROOT,
    base: '/',
    // The page has no public files: the app's public/ (icons, manifest) is not ODK's.
    publicDir: false,
    configFile: false,
    logLevel: 'error',
    plugins: compress ? [precompress()] : [],
    define: {
      // Vue's bundler build reads these; PrimeVue (inside ODK Web Forms) uses the Options API.
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      minify: true,
      // ODK's own bundle is large by design; the app's budgets (bench/budget.ts) never see it.
      chunkSizeWarningLimit: 4096,
    },
  };
}

export default defineConfig(odkBuildConfig());
