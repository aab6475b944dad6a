// A bundle as an animated sequence of QR codes: each frame carries its index, the total and one
// chunk of the bundle in base64url, so the lead's camera can read them in any order and repeat.
//
//   "CNSQ1/" index "/" total "/" id "/" chunk       (index from 1; id: first 8 chars of the bundle id)
import { fromBase64Url, toBase64Url, type Bytes } from './bytes.ts';

export const FRAME_PREFIX = 'CNSQ1/';
/** Characters of payload per frame: small enough for a low-end camera to read a version-20 code. */
export const FRAME_CHUNK = 600;
/** Above this many frames the QR route is not offered (a file is quicker). */
export const MAX_QR_FRAMES = 40;

export function toFrames(bundle: Uint8Array, bundleId: string, chunk = FRAME_CHUNK): string[] {
  const text = toBase64Url(bundle);
  const total = Math.max(1, Math.ceil(text.length / chunk));
  const id = bundleId.replace(/-/g, '').slice(0, 8);
  const frames: string[] = [];
  for (let i = 0; i < total; i++)
    frames.push(`${FRAME_PREFIX}${i + 1}/${total}/${id}/${text.slice(i * chunk, (i + 1) * chunk)}`);
  return frames;
}

/** Collects frames read by the camera (in any order, with repeats) until the bundle is whole. */
export class FrameAssembler {
  #id: string | null = null;
  #total = 0;
  readonly #chunks = new Map<number, string>();

  /** Adds one decoded QR text; false when it is not a frame (or of another bundle, which restarts). */
  add(text: string): boolean {
    if (!text.startsWith(FRAME_PREFIX)) return false;
    const [index, total, id, chunk, ...rest] = text.slice(FRAME_PREFIX.length).split('/');
    const i = Number(index);
    const n = Number(total);
    if (rest.length > 0 || !id || chunk === undefined || !Number.isInteger(i) || !Number.isInteger(n))
      return false;
    if (n < 1 || i < 1 || i > n) return false;
    if (this.#id !== id || this.#total !== n) {
      this.#id = id;
      this.#total = n;
      this.#chunks.clear();
    }
    this.#chunks.set(i, chunk);
    return true;
  }

  get received(): number {
    return this.#chunks.size;
  }

  get total(): number {
    return this.#total;
  }

  get complete(): boolean {
    return this.#total > 0 && this.#chunks.size === this.#total;
  }

  /** The bundle bytes once complete; null before, or when the chunks do not decode. */
  bytes(): Bytes | null {
    if (!this.complete) return null;
    let text = '';
    for (let i = 1; i <= this.#total; i++) text += this.#chunks.get(i) ?? '';
    return fromBase64Url(text);
  }
}
