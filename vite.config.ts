// Build of the PWA (Svelte 5 + a workbox service worker made with injectManifest) and the
// test projects: unit, component (jsdom + fake-indexeddb), server (real HTTP + SQLite), e2e (Chromium).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';

const API_TARGET = process.env.API_TARGET ?? 'http://127.0.0.1:8080';

/** Text files worth compressing; images and fonts here are compressed formats already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|webmanifest|json|txt)$/;
/** Below this a copy saves less than its extra header and file costs. */
const COMPRESS_MIN_BYTES = 1024;

/**
 * Writes `name.br` (Brotli, quality 11) and `name.gz` (gzip -9) beside every text file of the build,
 * for the server to send by Accept-Encoding (operations.md, "Compression and caching"). It runs
 * after vite-plugin-pwa has written sw.js, so the service worker gets its copies too; the copies
 * match none of the precache globs, so phones precache each file once, decoded.
 */
export function precompress(): Plugin {
  let outDir = 'dist';
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? (name === '.vite' ? [] : walk(p)) : [p];
    });
  return {
    name: 'sotay-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of walk(outDir)) {
          if (!COMPRESSIBLE.test(file)) continue;
          const bytes = readFileSync(file);
          if (bytes.length < COMPRESS_MIN_BYTES) continue;
          const br = brotliCompressSync(bytes, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
              [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            },
          });
          const gz = gzipSync(bytes, { level: 9 });
          if (br.length < bytes.length) writeFileSync(`${file}.br`, br);
          if (gz.length < bytes.length) writeFileSync(`${file}.gz`, gz);
        }
      },
    },
  };
}

/**
 * Screens only some roles ever open stay out of the precache every phone downloads at install:
 * the dashboard (leads and the office) and the admin's accounts and data-subject screens. Their files
 * (what only they reach) are listed per role in `role-chunks.json`; a signed-in phone of that role
 * caches them while online (src/app/role-chunks.ts) and the service worker serves them from there
 * offline. Everything a volunteer uses stays precached.
 */
const ROLE_ENTRIES: Record<string, readonly RegExp[]> = {
  lead: [/\/ui\/dashboard\/DashboardScreen\.svelte$/],
  supervisor: [/\/ui\/dashboard\/DashboardScreen\.svelte$/],
  admin: [
    /\/ui\/dashboard\/DashboardScreen\.svelte$/,
    /\/ui\/admin\/AdminScreen\.svelte$/,
    /\/ui\/privacy\/SubjectRequestScreen\.svelte$/,
    /\/ui\/cards\/CardEditor\.svelte$/,
    /\/ui\/sessions\/TopicsEditor\.svelte$/,
  ],
};
/** Modules the app's entry reaches through static imports, found once per build. */
let bootModules: Set<string> | null = null;

/** 'boot' for a module the entry (src/app/main.ts) imports statically, directly or not. */
function bootChunk(
  id: string,
  ctx: { getModuleInfo(id: string): { importedIds: readonly string[] } | null },
): string | null {
  if (bootModules === null) {
    bootModules = new Set();
    const entry = fileURLToPath(new URL('./src/app/main.ts', import.meta.url));
    const stack = [entry];
    while (stack.length > 0) {
      const m = stack.pop() as string;
      if (bootModules.has(m)) continue;
      const info = ctx.getModuleInfo(m);
      if (!info) continue;
      bootModules.add(m);
      stack.push(...info.importedIds);
    }
  }
  return bootModules.has(id) ? 'boot' : null;
}

/** Files only the role entries reach (`assets/…`), filled while the app bundle is generated. */
const roleOnlyFiles = new Set<string>();

function roleChunks(): Plugin {
  return {
    name: 'sotay-role-chunks',
    apply: 'build',
    // The service worker is built in the same process: its modules are found afresh.
    buildStart() {
      bootModules = null;
    },
    generateBundle(_options, bundle) {
      type Chunk = Extract<(typeof bundle)[string], { type: 'chunk' }>;
      const chunks = new Map<string, Chunk>();
      for (const item of Object.values(bundle)) if (item.type === 'chunk') chunks.set(item.fileName, item);
      const isRoleEntry = (c: Chunk) =>
        Object.values(ROLE_ENTRIES).some((list) => list.some((re) => re.test(c.facadeModuleId ?? '')));
      const roleEntries = [...chunks.values()].filter(isRoleEntry);
      // The service worker's own build has none of the app's screens: nothing to do there.
      if (roleEntries.length === 0) return;
      const walk = (start: Iterable<string>, stopAtRoleEntries: boolean): Set<string> => {
        const seen = new Set<string>();
        const stack = [...start];
        while (stack.length > 0) {
          const file = stack.pop() as string;
          const chunk = chunks.get(file);
          if (seen.has(file) || !chunk || (stopAtRoleEntries && isRoleEntry(chunk))) continue;
          seen.add(file);
          stack.push(...chunk.imports, ...chunk.dynamicImports);
          for (const css of chunk.viteMetadata?.importedCss ?? []) seen.add(css);
        }
        return seen;
      };
      const entries = [...chunks.values()].filter((c) => c.isEntry).map((c) => c.fileName);
      const everyone = walk(entries, true);
      const perRole: Record<string, string[]> = {};
      for (const [role, patterns] of Object.entries(ROLE_ENTRIES)) {
        const starts = roleEntries
          .filter((c) => patterns.some((re) => re.test(c.facadeModuleId ?? '')))
          .map((c) => c.fileName);
        const files = [...walk(starts, false)].filter((f) => !everyone.has(f)).sort();
        for (const f of files) roleOnlyFiles.add(f);
        perRole[role] = files.map((f) => `/${f}`);
      }
      this.emitFile({
        type: 'asset',
        fileName: 'role-chunks.json',
        source: `${JSON.stringify(perRole, null, 1)}\n`,
      });
    },
  };
}

/** Every test project's fast-check runs from the run's seed (tests/support/preflight.ts prints it). */
const SEEDED = 'tests/support/seeded.ts';

export default defineConfig({
  plugins: [
    svelte(),
    roleChunks(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      injectManifest: {
        // The PNG icons are not precached: the browser fetches the manifest's icons itself when the
        // app is installed (online), and offline pages use the SVG icon. That keeps 22 KB gz off
        // every install on a metered connection (the precache byte budget).
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        // Role-only screens are cached per role after login instead (roleChunks above).
        manifestTransforms: [
          (entries) => ({ manifest: entries.filter((e) => !roleOnlyFiles.has(e.url)), warnings: [] }),
        ],
      },
      manifest: {
        name: 'Sổ tay Tổ công nghệ số cộng đồng',
        short_name: 'Sổ tay Tổ CNS',
        description:
          'Ghi nhận hỗ trợ người dân về căn cước, VNeID, dịch vụ công trực tuyến — dùng được khi không có mạng.',
        lang: 'vi',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#b91c1c',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      devOptions: { enabled: false },
    }),
    precompress(),
  ],
  server: {
    proxy: { '/api': API_TARGET },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Everything the entry imports statically is one file: over HTTP/1.1 at a long round trip
          // a first visit pays a round trip per wave of six files, not per byte. Lazy screens
          // keep their own chunks.
          groups: [{ name: bootChunk, priority: 10 }],
        },
      },
    },
    // The manifest lets the byte-budget check follow static imports from index.html (bench/budget.ts).
    manifest: true,
  },
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Inherited by every project (extends: true) and said once: Chromium missing, before anything starts.
    globalSetup: ['tests/support/preflight.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: [SEEDED],
        },
      },
      {
        extends: true,
        resolve: { conditions: ['browser'] },
        test: {
          name: 'component',
          include: ['tests/component/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: [SEEDED, 'tests/component/setup.ts'],
          // A whole dashboard rendered in jsdom takes seconds when the machine's two cores are busy.
          testTimeout: 15_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          setupFiles: [SEEDED],
          // PostgreSQL at TEST_DATABASE_URL, or a throwaway one when none answers there.
          globalSetup: ['tests/server/global-setup.ts'],
          testTimeout: 20_000,
          // Set-ups that start several server processes or seed two communes take seconds on a busy machine.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'sync',
          include: ['tests/sync/**/*.test.ts'],
          environment: 'node',
          setupFiles: [SEEDED, 'tests/sync/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          setupFiles: [SEEDED, 'tests/e2e/setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
