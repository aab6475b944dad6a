// The static shell's HTTPS note (index.html): a page the browser does not count as secure (http://
// at a LAN address) shows the Vietnamese note before any JS file runs; a secure page never does.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// The repository's index.html, as vite builds it (vitest runs from the repository root).
const INDEX_HTML = readFileSync(resolve('index.html'), 'utf8');

function part(pattern: RegExp): string {
  const m = pattern.exec(INDEX_HTML);
  if (!m?.[1]) throw new Error(`index.html lacks ${pattern}`);
  return m[1];
}
const INLINE_SCRIPT = part(/<script>([\s\S]*?)<\/script>/);
const STYLE = part(/<style>([\s\S]*?)<\/style>/);
const BODY = part(/<body>([\s\S]*?)<\/body>/);

/** The shell painted and its inline script run, in a browser that says whether the page is secure. */
function openShell(secure: boolean | undefined, signedIn = false): HTMLElement {
  document.documentElement.className = '';
  document.head.innerHTML = `<style>${STYLE}</style>`;
  // innerHTML runs no script: the module script of the app stays inert here.
  document.body.innerHTML = BODY;
  localStorage.clear();
  if (signedIn) localStorage.setItem('sotay.signedIn', '1');
  // jsdom has no isSecureContext of its own; the browser decides it from the address.
  if (secure === undefined) Reflect.deleteProperty(window, 'isSecureContext');
  else Object.defineProperty(window, 'isSecureContext', { value: secure, configurable: true });
  // The shell's one inline script, as the browser runs it: in the page's global scope.
  new Function(INLINE_SCRIPT)();
  const el = document.querySelector<HTMLElement>('.insecure-note');
  if (!el) throw new Error('index.html has no .insecure-note');
  return el;
}

afterEach(() => {
  Reflect.deleteProperty(window, 'isSecureContext');
  localStorage.clear();
  document.documentElement.className = '';
});

describe('the static shell over an insecure address', () => {
  it('shows the note asking for the https:// address when the page is not a secure context', () => {
    const note = openShell(false);
    expect(getComputedStyle(note).display).toBe('block');
    expect(note.getAttribute('role')).toBe('alert');
    expect(note.textContent).toContain('không dùng được khi mất mạng');
    expect(note.textContent).toContain('Hãy hỏi quản trị viên của xã địa chỉ bắt đầu bằng https://');
  });

  it('keeps the note hidden on a secure page, and in a browser that does not say', () => {
    expect(getComputedStyle(openShell(true)).display).toBe('none');
    expect(getComputedStyle(openShell(undefined)).display).toBe('none');
  });

  it('keeps the signed-in skeleton when it shows the note', () => {
    openShell(false, true);
    expect(document.documentElement.classList.contains('signed-in')).toBe(true);
    expect(document.documentElement.classList.contains('insecure')).toBe(true);
  });
});
