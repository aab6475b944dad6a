// QR codes for the hand-off: drawing (package `qrcode`, loaded only when a QR is shown) and reading
// camera frames (package `jsqr`, loaded only when the camera opens).
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

/**
 * An SVG data URL of `text` as a QR code (black on white, 4-module quiet zone). Drawn from the
 * modules, so it needs no canvas and scales crisply on any screen.
 */
export async function qrDataUrl(text: string): Promise<string> {
  const { size, data } = (await loadQr()).create(text, { errorCorrectionLevel: 'L' }).modules;
  const margin = 4;
  const dim = size + margin * 2;
  let path = '';
  for (let r = 0; r < size; r++) {
    let c = 0;
    while (c < size) {
      if (!data[r * size + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && data[r * size + c]) c++;
      path += `M${start + margin} ${r + margin}h${c - start}v1h-${c - start}z`;
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${dim} ${dim}" shape-rendering="crispEdges">` +
    `<rect width="${dim}" height="${dim}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
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
