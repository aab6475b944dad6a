// The admin's side of importing people (docs/operations.md): the chosen file as base64 for the
// server (which parses it: no spreadsheet library in the app), the template file, and the share of
// one person's enrolment link.
import { TEMPLATE_HEADERS } from '../../../shared/people-import.ts';

/** A file's bytes in base64, in slices (a spread of a whole file overflows the call stack). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await readBytes(file));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function readBytes(file: Blob): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsArrayBuffer(file);
  });
}

/**
 * The template: UTF-8 with a BOM (so Excel shows the accents) and ";" between columns (Excel with
 * Vietnamese regional settings opens it in columns; the server reads "," as well).
 */
export function templateCsv(): string {
  return `\uFEFF${TEMPLATE_HEADERS.join(';')}\r\n`;
}

export const TEMPLATE_FILE_NAME = 'mau-nhap-nguoi-dung.csv';

/** Downloads the template through a Blob link (no data: URL for the Content Security Policy). */
export function downloadTemplate(): void {
  const url = URL.createObjectURL(new Blob([templateCsv()], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = TEMPLATE_FILE_NAME;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How a link was passed on: the phone's share sheet, the clipboard, or not at all. */
export type Shared = 'shared' | 'copied' | 'failed';

/** The share sheet where the browser has one (phones: Zalo, SMS…), else the clipboard. */
export async function shareLink(title: string, text: string, url: string): Promise<Shared> {
  if (typeof navigator.share === 'function') {
    try {
      await navigator.share({ title, text, url });
      return 'shared';
    } catch (e) {
      // The admin closed the share sheet: nothing to report.
      if ((e as { name?: string }).name === 'AbortError') return 'failed';
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    return 'copied';
  } catch {
    return 'failed';
  }
}
