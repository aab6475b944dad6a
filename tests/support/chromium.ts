// Where the tests find Chromium, the one prerequisite they do not bring themselves (Debian's package,
// or CHROMIUM_PATH), and the one line that says it is missing. No playwright here: every run loads it.
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** One line saying Chromium is missing and how to get it, or null when it is there. */
export function chromiumMissing(): string | null {
  const exe = chromiumPath();
  if (existsSync(exe)) return null;
  return (
    `Chromium not found at ${exe}: the browser tests (tests/e2e) fail until it is installed ` +
    `("apt-get install -y chromium") or CHROMIUM_PATH names it. ` +
    `(Không tìm thấy Chromium: cài bằng "apt-get install -y chromium" hoặc đặt CHROMIUM_PATH.)`
  );
}
