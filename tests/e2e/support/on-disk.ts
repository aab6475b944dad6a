// A phone whose browser profile and a server whose data directory are real folders on disk, so a
// test can search every byte either of them wrote (the "nothing in clear" proofs of docs/privacy.md).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

export interface OnDisk {
  server: RunningServer;
  /** A persistent Chromium context: closing it flushes IndexedDB and localStorage to `profile`. */
  context: BrowserContext;
  profile: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function openOnDisk(staticDir: string): Promise<OnDisk> {
  const profile = mkdtempSync(join(tmpdir(), 'sotay-e2e-profile-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'sotay-e2e-data-'));
  const server = await startServer({ staticDir, dataDir });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 640 },
    locale: 'vi-VN',
  });
  return {
    server,
    context,
    profile,
    dataDir,
    async close() {
      await context.close().catch(() => undefined);
      await server.stop();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir`, read as bytes (latin1 keeps every byte one character). */
export function allBytes(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s) continue;
    if (s.isDirectory()) out += allBytes(path);
    else if (s.isFile()) out += `\n${readFileSync(path).toString('latin1')}`;
  }
  return out;
}
