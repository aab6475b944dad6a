// QR codes for the hand-off: drawing (package `qrcode`, loaded only when a QR is shown) and reading
// camera frames (package `jsqr`, loaded only when the camera opens).
import type { QRCodeOptions } from 'qrcode';

type QrModule = typeof import('qrcode');
type JsQr = (typeof import('jsqr'))['default'];

let qrModule: Promise<QrModule> | null = null;
let jsqrModule: Promise<JsQr> | null = null;

function loadQr(): Promise<QrModule> {
  qrModule ??= import('qrcode').then((m) => (m as QrModule & { default?: QrModule }).default ?? m);
  return qrModule;
}

function loadJsQr(): Promise<JsQr> {
  jsqrModule ??= import('jsqr').then((m) => {
    const mod = m as unknown as { default: JsQr | { default: JsQr } };
    return typeof mod.default === 'function' ? mod.default : mod.default.default;
  });
  return jsqrModule;
}

const OPTIONS: QRCodeOptions = { errorCorrectionLevel: 'L', margin: 4, scale: 4 };

/** A PNG data URL of `text` as a QR code. */
export async function qrDataUrl(text: string): Promise<string> {
  return (await loadQr()).toDataURL(text, OPTIONS);
}

/** The modules of `text` as an RGBA image (black on white, `scale` pixels a module, 4-module margin). */
export async function qrImage(
  text: string,
  scale = 3,
): Promise<{ data: Uint8ClampedArray<ArrayBuffer>; width: number; height: number }> {
  const symbol = (await loadQr()).create(text, { errorCorrectionLevel: 'L' });
  const { size, data } = symbol.modules;
  const margin = 4;
  const width = (size + margin * 2) * scale;
  const out = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      if (!data[r * size + c]) continue;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const p = (((r + margin) * scale + y) * width + (c + margin) * scale + x) * 4;
          out[p] = out[p + 1] = out[p + 2] = 0;
        }
    }
  return { data: out, width, height: width };
}

/** The text of a QR code in an RGBA image, or null when none is readable. */
export async function readQr(data: Uint8ClampedArray, width: number, height: number): Promise<string | null> {
  const jsQR = await loadJsQr();
  return jsQR(data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
