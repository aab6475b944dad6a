// The static shell's HTTPS note (index.html): a page the browser does not count as secure (http://
// at a LAN address) shows the Vietnamese note before any JS file runs; a secure page never does.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';

// The repository's index.html, as vite builds it (vitest runs from the repository root).
const INDEX_HTML = readFileSync(resolve('index.html'), 'utf8');

/** index.html with its inline script run, as a browser that says whether the page is secure. */
function openShell(url: string, secure: boolean | undefined, signedIn = false): Window {
  const dom = new JSDOM(INDEX_HTML, {
    url,
    runScripts: 'dangerously',
    beforeParse(window) {
      // jsdom has no isSecureContext of its own; the browser decides it from the address.
      if (secure !== undefined) Object.defineProperty(window, 'isSecureContext', { value: secure });
      if (signedIn) window.localStorage.setItem('sotay.signedIn', '1');
    },
  });
  return dom.window as unknown as Window;
}

function note(window: Window): HTMLElement {
  const el = window.document.querySelector<HTMLElement>('.insecure-note');
  if (!el) throw new Error('index.html has no .insecure-note');
  return el;
}

describe('the static shell over an insecure address', () => {
  it('shows the note asking for the https:// address when the page is not a secure context', () => {
    const window = openShell('http://192.168.1.10:8080/', false);
    const el = note(window);
    expect(window.getComputedStyle(el).display).toBe('block');
    expect(el.getAttribute('role')).toBe('alert');
    expect(el.textContent).toContain('không dùng được khi mất mạng');
    expect(el.textContent).toContain('Hãy hỏi quản trị viên của xã địa chỉ bắt đầu bằng https://');
  });

  it('keeps the note hidden on https, on localhost, and in a browser that does not say', () => {
    for (const [url, secure] of [
      ['https://sotay.xa.example.vn/', true],
      ['http://localhost:8080/', true],
      ['http://192.168.1.10:8080/', undefined],
    ] as const) {
      const window = openShell(url, secure);
      expect(window.getComputedStyle(note(window)).display).toBe('none');
    }
  });

  it('keeps the signed-in skeleton when it shows the note', () => {
    const root = openShell('http://192.168.1.10:8080/', false, true).document.documentElement;
    expect(root.classList.contains('signed-in')).toBe(true);
    expect(root.classList.contains('insecure')).toBe(true);
  });
});
