// The enrolment link a QR code carries (docs/operations.md), with no schema library: the phone's
// first-load bundle reads it on every start.

/** An enrolment token is valid this long after the admin makes it. */
export const ENROLMENT_TTL_MS = 24 * 60 * 60 * 1000;
/** The URL fragment key a phone opens: `<origin>/#enrol=<token>`. */
export const ENROL_FRAGMENT = 'enrol';

/** The enrolment URL a QR code carries; the phone's camera app opens it in the browser. */
export function enrolmentUrl(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/#${ENROL_FRAGMENT}=${encodeURIComponent(token)}`;
}

/** The token of a `#enrol=…` fragment, or null. */
export function enrolTokenFromHash(hash: string): string | null {
  const m = /^#?enrol=([A-Za-z0-9_-]{20,128})$/.exec(hash);
  return m?.[1] ?? null;
}

/**
 * Whether a phone cannot use a code made at `origin`: a loopback address (the server machine's own,
 * where the set-up link is first opened) is the phone's own there, and over plain http a phone gets
 * the HTTPS notice instead of the app (docs/operations.md, "HTTPS to the phones").
 */
export function phonesCannotOpen(origin: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return true;
  }
  const host = u.hostname.toLowerCase();
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]';
  return loopback || u.protocol !== 'https:';
}
