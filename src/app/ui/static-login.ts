// The hand-over from index.html's static login form to the app's LoginScreen: what was typed, the
// message shown, the field that had focus, and a login the static form already sent (its answer
// unread: it holds the token, which stays in memory and is never written to the address or a log).

/** What index.html's inline script leaves on `window` while its login is under way. */
interface SentLogin {
  username: string;
  sent: Promise<Response>;
  /** Set by the app: the inline script then leaves the answer (and the form) alone. */
  taken: boolean;
}

export interface StaticLogin {
  username: string;
  password: string;
  /** The static form's message (a refused login), if one shows. */
  error: string;
  /** The login the static form sent, to be answered by the app. */
  sent?: Promise<Response>;
  /** The id of the field the user was typing in (LoginScreen's inputs have the same ids). */
  focus?: string;
}

let claimed: StaticLogin | null = null;

/** Reads the static form before the app replaces it; takes over a login under way. */
export function takeStaticLogin(root: ParentNode = document): StaticLogin | null {
  const form = root.querySelector<HTMLFormElement>('#static-login');
  const w = window as unknown as { sotayLogin?: SentLogin | null };
  const pending = w.sotayLogin ?? null;
  w.sotayLogin = null;
  if (pending) pending.taken = true;
  if (!form && !pending) return null;
  const field = (name: string) => (form?.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
  const active = document.activeElement;
  const error = form?.querySelector('.error');
  const found: StaticLogin = {
    username: pending?.username ?? field('username'),
    password: field('password'),
    error: error && !(error as HTMLElement).hidden ? (error.textContent ?? '') : '',
    ...(pending ? { sent: pending.sent } : {}),
    ...(active instanceof HTMLInputElement && form?.contains(active) ? { focus: active.id } : {}),
  };
  claimed = found.username || found.password || found.error || found.sent ? found : null;
  return claimed;
}

/** For LoginScreen: what the static form held, once (a later login screen starts empty). */
export function claimStaticLogin(): StaticLogin | null {
  const found = claimed;
  claimed = null;
  return found;
}
