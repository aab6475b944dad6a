// LibreOffice headless for the export tests: converts a file as Calc would open or save it, with a
// throwaway profile so that runs never share (or lock) a user installation.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Fails (never skips) when LibreOffice is missing: `.ci/run` installs it from Debian. */
export async function sofficeVersion(): Promise<string> {
  try {
    const { stdout } = await run('soffice', ['--version'], { timeout: 60_000 });
    return stdout.trim();
  } catch (e) {
    throw new Error(
      'LibreOffice (soffice) is needed by the export tests and was not found: install it with ' +
        '`apt-get install -y --no-install-recommends libreoffice-calc` (.ci/run does).',
      { cause: e },
    );
  }
}

/**
 * Converts `bytes` (saved as `input`) with `soffice --headless --convert-to target`, optionally
 * through an import filter; answers every output file by name.
 */
export async function sofficeConvert(
  input: string,
  bytes: Uint8Array,
  target: string,
  infilter?: string,
): Promise<Map<string, Buffer>> {
  await sofficeVersion();
  const dir = mkdtempSync(join(tmpdir(), 'sotay-soffice-'));
  try {
    const src = join(dir, input);
    writeFileSync(src, bytes);
    const outDir = join(dir, 'out');
    const args = [
      `-env:UserInstallation=file://${join(dir, 'profile')}`,
      '--headless',
      '--norestore',
      ...(infilter ? [`--infilter=${infilter}`] : []),
      '--convert-to',
      target,
      '--outdir',
      outDir,
      src,
    ];
    await run('soffice', args, { timeout: 120_000 });
    const files = new Map<string, Buffer>();
    for (const name of readdirSync(outDir)) files.set(name, readFileSync(join(outDir, name)));
    if (files.size === 0) throw new Error(`soffice wrote nothing for ${input} → ${target}`);
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
