// Builds the PWA once into a temp folder for the end-to-end run and checks that Chromium is there.
// Tests get the folder through `inject('distDir')`; without Chromium, setup.ts fails each file instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { chromiumMissing } from '../support/chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    distDir: string;
    /** The one-line reason when Chromium is missing, else empty. */
    chromiumMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  // Not a throw: a global setup that throws ends the whole run, unit and server tests included.
  const missing = chromiumMissing();
  project.provide('chromiumMissing', missing ?? '');
  if (missing) return undefined;
  const distDir = mkdtempSync(join(tmpdir(), 'sotay-e2e-dist-'));
  // Vitest sets NODE_ENV=test, which would make this a development build (no service worker
  // registration, Svelte dev mode); the e2e run must test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(process.cwd(), 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: distDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('distDir', distDir);
  return () => rmSync(distDir, { recursive: true, force: true });
}
