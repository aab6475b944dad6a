// The phone side of QR enrolment: the admin's QR code opens `<origin>/#enrol=<token>`; the app
// trades the token for its own device token and removes the fragment from the address and history.
import { enrolTokenFromHash } from '../../shared/enrolment.ts';
import type { EnrolResult } from './session.svelte.ts';

interface Place {
  hash: string;
  pathname: string;
  search: string;
}
interface History {
  state: unknown;
  replaceState(data: unknown, unused: string, url?: string): void;
}

/**
 * Enrol when the page was opened from an enrolment link. The fragment is removed once the server
 * answered (a used token stays useless in the history); with no answer (offline) it stays, so
 * reopening the page tries again. Returns null when the page was not opened from such a link.
 */
export async function enrolFromLink(
  enrol: (token: string) => Promise<EnrolResult>,
  place: Place = location,
  hist: History = history,
): Promise<EnrolResult | null> {
  const token = enrolTokenFromHash(place.hash);
  if (!token) return null;
  const result = await enrol(token);
  if (result.ok || !result.retry) hist.replaceState(hist.state, '', place.pathname + place.search);
  return result;
}
