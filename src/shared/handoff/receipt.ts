// The receipt the lead shows after the server took a bundle (docs/handoff.md). The server signs it
// with the commune's receipt key; the volunteer's phone checks it with the public half it received
// at login, so neither the lead nor anyone else can make one up.
//
//   "CNSR1." base64url(JSON) "." base64url(ECDSA P-256 signature over the JSON bytes)
import * as z from 'zod/mini';
import { AppError } from '../errors.ts';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from './bytes.ts';
import { SIGN_PARAMS, type Key } from './keys.ts';

export const RECEIPT_PREFIX = 'CNSR1.';

export const Receipt = z.strictObject({
  bundleId: z.string(),
  clientId: z.string(),
  volunteerId: z.string(),
  communeCode: z.string(),
  /** The bundle's mutations the server acknowledged: seqs seqFrom … ackedSeq of clientId. */
  seqFrom: z.int(),
  ackedSeq: z.int(),
  /** Their mutation ids, so the phone marks exactly those even if seqs were renumbered since. */
  mutationIds: z.array(z.string()),
  at: z.string(),
});
export type Receipt = z.infer<typeof Receipt>;

export async function signReceipt(receipt: Receipt, key: Key): Promise<string> {
  const body = utf8(JSON.stringify(receipt));
  const sig = new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS, key, body));
  return `${RECEIPT_PREFIX}${toBase64Url(body)}.${toBase64Url(sig)}`;
}

/** The receipt inside `text` if the commune's key signed it; throws handoff_bad_receipt otherwise. */
export async function verifyReceipt(text: string, key: Key): Promise<Receipt> {
  const trimmed = text.trim();
  if (!trimmed.startsWith(RECEIPT_PREFIX)) throw new AppError('handoff_bad_receipt', { reason: 'prefix' });
  const [bodyText, sigText, ...rest] = trimmed.slice(RECEIPT_PREFIX.length).split('.');
  const body = fromBase64Url(bodyText ?? '');
  const sig = fromBase64Url(sigText ?? '');
  if (!body || !sig || rest.length > 0) throw new AppError('handoff_bad_receipt', { reason: 'shape' });
  const ok = await crypto.subtle.verify(SIGN_PARAMS, key, sig, body);
  if (!ok) throw new AppError('handoff_bad_receipt', { reason: 'signature' });
  try {
    const parsed = Receipt.safeParse(JSON.parse(fromUtf8(body)));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through
  }
  throw new AppError('handoff_bad_receipt', { reason: 'body' });
}
