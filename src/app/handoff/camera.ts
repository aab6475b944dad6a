// Reads QR codes from the rear camera: frames drawn to a canvas and decoded with jsqr, a few times a
// second, until the caller says it has what it needs or stops.
import { readQr } from './qr.ts';

export interface CameraScan {
  stop(): void;
}

/**
 * Starts the camera into `video` and calls `onText` for every QR text read (repeats included).
 * `onText` answers true when done. Rejects when there is no camera or permission is refused.
 */
export async function scanQrCodes(
  video: HTMLVideoElement,
  onText: (text: string) => boolean,
): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: 'environment' },
    audio: false,
  });
  video.srcObject = stream;
  video.setAttribute('playsinline', '');
  await video.play();
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const tick = async () => {
    if (stopped || !ctx) return;
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (w > 0 && h > 0) {
      canvas.width = w;
      canvas.height = h;
      ctx.drawImage(video, 0, 0, w, h);
      const text = await readQr(ctx.getImageData(0, 0, w, h).data, w, h);
      if (text !== null && onText(text)) {
        stop();
        return;
      }
    }
    timer = setTimeout(() => void tick(), 150);
  };
  void tick();
  return { stop };
}
