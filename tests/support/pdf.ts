// Poppler's pdftotext and pdfinfo for the print tests: what a printed report says, page by page,
// as a reader of the PDF would see it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PdfText {
  pages: string[];
  /** Page size in PostScript points, from pdfinfo ("595.92 x 842.88 pts (A4)"). */
  pageSize: string;
}

/** Fails (never skips) when Poppler is missing: `.ci/run` installs it from Debian. */
export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const dir = mkdtempSync(join(tmpdir(), 'sotay-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, bytes);
    let info: string;
    try {
      info = (await run('pdfinfo', [file], { timeout: 30_000 })).stdout;
    } catch (e) {
      throw new Error(
        'Poppler (pdfinfo, pdftotext) is needed by the print tests and was not found: install it ' +
          'with `apt-get install -y --no-install-recommends poppler-utils` (.ci/run does).',
        { cause: e },
      );
    }
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], {
      timeout: 30_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    const pages = stdout.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
    return { pages, pageSize: /Page size:\s*(.+)/.exec(info)?.[1]?.trim() ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
