// A bundle through the QR route: split into frames, drawn as QR codes, read back with jsqr in a
// shuffled order with repeats, reassembled byte for byte; and the signed receipt the other way.
import { describe, expect, test } from 'vitest';
import { AppError, newId } from '../../src/shared/index.ts';
import {
  FrameAssembler,
  generateCommuneKey,
  importSignKey,
  importVerifyKey,
  signReceipt,
  toFrames,
  verifyReceipt,
  type Receipt,
} from '../../src/shared/handoff/index.ts';
import { qrImage, readQr } from '../../src/app/handoff/qr.ts';
import { rng } from '../support/factories.ts';

function randomBytes(n: number, seed: number): Uint8Array {
  const rand = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

describe('QR frames', () => {
  test('frames drawn as QR codes and read by the camera decoder, shuffled and repeated, rebuild the bundle', async () => {
    const bundle = randomBytes(1500, 7);
    const frames = toFrames(bundle, newId());
    expect(frames.length).toBe(Math.ceil(Math.ceil((1500 * 4) / 3) / 600));
    const order = [2, 0, 2, 1, 3, 0].filter((i) => i < frames.length);
    const assembler = new FrameAssembler();
    for (const i of [...order, ...frames.keys()]) {
      const img = await qrImage(frames[i]!);
      const text = await readQr(img.data, img.width, img.height);
      expect(text).toBe(frames[i]);
      expect(assembler.add(text!)).toBe(true);
    }
    expect(assembler.complete).toBe(true);
    expect(assembler.bytes()).toEqual(bundle);
  });

  test('the assembler waits for the missing frame, ignores foreign codes and restarts on another bundle', () => {
    const a = toFrames(randomBytes(2000, 1), newId());
    const b = toFrames(randomBytes(700, 2), newId());
    const assembler = new FrameAssembler();
    expect(assembler.add('https://example.invalid/not-a-frame')).toBe(false);
    for (const f of a.slice(1)) assembler.add(f);
    expect(assembler.complete).toBe(false);
    expect(assembler.bytes()).toBeNull();
    expect(assembler.received).toBe(a.length - 1);
    assembler.add(b[0]!);
    expect(assembler.total).toBe(b.length);
    expect(assembler.received).toBe(1);
  });
});

describe('receipt', () => {
  const receipt: Receipt = {
    bundleId: newId(),
    clientId: 'client-12345678',
    volunteerId: 'u-tnv',
    communeCode: 'X01',
    seqFrom: 1,
    ackedSeq: 4,
    mutationIds: [newId(), newId(), newId(), newId()],
    at: '2026-11-28T02:00:00.000Z',
  };

  test('a receipt signed with the commune key verifies and survives a QR round trip', async () => {
    const key = await generateCommuneKey();
    const text = await signReceipt(receipt, await importSignKey(key.receiptPrivate));
    const img = await qrImage(text);
    const read = await readQr(img.data, img.width, img.height);
    expect(await verifyReceipt(read!, await importVerifyKey(key.receiptPublic))).toEqual(receipt);
  });

  test('an edited receipt, or one signed by another key, is refused', async () => {
    const key = await generateCommuneKey();
    const other = await generateCommuneKey();
    const verify = await importVerifyKey(key.receiptPublic);
    const forged = await signReceipt({ ...receipt, ackedSeq: 99 }, await importSignKey(other.receiptPrivate));
    const real = await signReceipt(receipt, await importSignKey(key.receiptPrivate));
    const [prefix, body, sig] = real.split('.');
    const edited = `${prefix}.${Buffer.from(
      Buffer.from(body!, 'base64url').toString('utf8').replace('"ackedSeq":4', '"ackedSeq":9'),
    ).toString('base64url')}.${sig}`;
    for (const text of [forged, edited, 'CNSR1.garbage', 'hello'])
      await expect(verifyReceipt(text, verify)).rejects.toSatisfy(
        (e) => e instanceof AppError && e.code === 'handoff_bad_receipt',
      );
  });
});
