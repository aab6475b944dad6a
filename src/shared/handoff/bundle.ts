// The hand-off bundle, format version 1 (docs/handoff.md):
//
//   "CNSH" | version (1 byte) | u32 header length | header (JSON, UTF-8)
//   | u32 body length | body | signature (64 bytes, ECDSA P-256 / SHA-256, r‖s)
//
// body = ephemeral ECDH P-256 public key (65 bytes, raw) | IV (12 bytes) | AES-256-GCM ciphertext
// of gzip(JSON payload), with the header bytes as additional data. The AES key is HKDF-SHA-256 of
// the ECDH secret with the commune's encryption key (salt: the bundle id). The signature, made with
// the volunteer's device key, covers every byte before it, so nothing in a bundle can change.
import * as z from 'zod/mini';
import { AppError } from '../errors.ts';
import { UUID_RE } from '../ids.ts';
import { Mutation } from '../protocol.ts';
import { concat, fromUtf8, gunzip, gzip, own, readU32, u32, utf8, type Bytes } from './bytes.ts';
import { ECDH_ALG, SIGN_PARAMS, type Key, type Usage } from './keys.ts';

export const BUNDLE_MAGIC = 'CNSH';
export const BUNDLE_VERSION = 1;
/** The file extension and media type a bundle travels under. */
export const BUNDLE_EXTENSION = '.cnsh';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.sotay.handoff';
const SIGNATURE_LENGTH = 64;
const EPHEMERAL_LENGTH = 65;
const IV_LENGTH = 12;
const HKDF_INFO = 'sotay-handoff-v1';
/** A bundle larger than this is refused before any work (10,000 mutations stay far below). */
export const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

export const BundleHeader = z.strictObject({
  bundleId: z.string().check(z.regex(UUID_RE)),
  volunteer: z.strictObject({
    id: z.string().check(z.minLength(1), z.maxLength(64)),
    username: z.string().check(z.maxLength(64)),
    displayName: z.string().check(z.maxLength(200)),
  }),
  clientId: z.string().check(z.minLength(8), z.maxLength(64)),
  /** The record schema the volunteer's app speaks (SCHEMA_VERSION), as in a push. */
  schemaVersion: z.int().check(z.gte(1)),
  deviceKeyId: z.string().check(z.minLength(1), z.maxLength(64)),
  communeCode: z.string().check(z.minLength(1), z.maxLength(32)),
  communeKeyId: z.string().check(z.minLength(1), z.maxLength(64)),
  count: z.int().check(z.gte(1)),
  seqFrom: z.int().check(z.gte(1)),
  seqTo: z.int().check(z.gte(1)),
  /** The range of occurredOn among the bundle's records; null when it holds only deletes. */
  dateFrom: z.nullable(day),
  dateTo: z.nullable(day),
  createdAt: z.string().check(z.maxLength(40)),
});
export type BundleHeader = z.infer<typeof BundleHeader>;

export const BundlePayload = z.strictObject({
  bundleId: z.string(),
  clientId: z.string(),
  mutations: z.array(Mutation),
});
export type BundlePayload = z.infer<typeof BundlePayload>;

export interface BundleInput {
  bundleId: string;
  volunteer: BundleHeader['volunteer'];
  clientId: string;
  schemaVersion: number;
  deviceKeyId: string;
  deviceKey: Key;
  communeCode: string;
  communeKeyId: string;
  communePublic: Key;
  mutations: Mutation[];
  createdAt: string;
}

/** The occurredOn range of the mutations' patches (deletes carry none). */
export function dateRange(mutations: readonly Mutation[]): {
  dateFrom: string | null;
  dateTo: string | null;
} {
  let dateFrom: string | null = null;
  let dateTo: string | null = null;
  for (const m of mutations) {
    const d = m.patch?.occurredOn;
    if (typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d)) continue;
    if (dateFrom === null || d < dateFrom) dateFrom = d;
    if (dateTo === null || d > dateTo) dateTo = d;
  }
  return { dateFrom, dateTo };
}

async function aesKey(secret: ArrayBuffer, bundleId: string, usage: Usage): Promise<Key> {
  const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(bundleId), info: utf8(HKDF_INFO) },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

export async function encodeBundle(input: BundleInput): Promise<Bytes> {
  if (input.mutations.length === 0) throw new Error('a bundle holds at least one mutation');
  const seqs = input.mutations.map((m) => m.seq);
  const header: BundleHeader = {
    bundleId: input.bundleId,
    volunteer: input.volunteer,
    clientId: input.clientId,
    schemaVersion: input.schemaVersion,
    deviceKeyId: input.deviceKeyId,
    communeCode: input.communeCode,
    communeKeyId: input.communeKeyId,
    count: input.mutations.length,
    seqFrom: Math.min(...seqs),
    seqTo: Math.max(...seqs),
    ...dateRange(input.mutations),
    createdAt: input.createdAt,
  };
  const headerBytes = utf8(JSON.stringify(header));
  const payload: BundlePayload = {
    bundleId: input.bundleId,
    clientId: input.clientId,
    mutations: input.mutations,
  };
  const packed = await gzip(utf8(JSON.stringify(payload)));
  const eph = await crypto.subtle.generateKey(ECDH_ALG, true, ['deriveBits']);
  const ephRaw = new Uint8Array(await crypto.subtle.exportKey('raw', eph.publicKey));
  const secret = await crypto.subtle.deriveBits(
    { name: 'ECDH', public: input.communePublic },
    eph.privateKey,
    256,
  );
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const key = await aesKey(secret, input.bundleId, 'encrypt');
  const cipher = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: headerBytes }, key, packed),
  );
  const body = concat(ephRaw, iv, cipher);
  const signed = concat(
    utf8(BUNDLE_MAGIC),
    Uint8Array.of(BUNDLE_VERSION),
    u32(headerBytes.length),
    headerBytes,
    u32(body.length),
    body,
  );
  const signature = new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS, input.deviceKey, signed));
  return concat(signed, signature);
}

/** A bundle split into its parts; nothing verified yet but its shape. */
export interface ParsedBundle {
  header: BundleHeader;
  headerBytes: Bytes;
  body: Bytes;
  signed: Bytes;
  signature: Bytes;
}

/** Reads the frame of a bundle. Throws AppError handoff_corrupt / _truncated / _unsupported_version. */
export function parseBundle(bytes: Uint8Array): ParsedBundle {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new AppError('handoff_corrupt', { reason: 'too_large' });
  if (bytes.length < 4) throw new AppError('handoff_truncated');
  if (fromUtf8Safe(bytes.subarray(0, 4)) !== BUNDLE_MAGIC)
    throw new AppError('handoff_corrupt', { reason: 'magic' });
  if (bytes.length < 9) throw new AppError('handoff_truncated');
  if (bytes[4] !== BUNDLE_VERSION)
    throw new AppError('handoff_unsupported_version', { version: bytes[4], supported: BUNDLE_VERSION });
  const headerLength = readU32(bytes, 5);
  const headerEnd = 9 + headerLength;
  if (bytes.length < headerEnd + 4) throw new AppError('handoff_truncated');
  const bodyLength = readU32(bytes, headerEnd);
  const bodyEnd = headerEnd + 4 + bodyLength;
  const total = bodyEnd + SIGNATURE_LENGTH;
  if (bytes.length < total) throw new AppError('handoff_truncated');
  if (bytes.length > total) throw new AppError('handoff_corrupt', { reason: 'trailing_bytes' });
  if (bodyLength < EPHEMERAL_LENGTH + IV_LENGTH + 16)
    throw new AppError('handoff_corrupt', { reason: 'body' });
  const headerBytes = own(bytes.subarray(9, headerEnd));
  let header: BundleHeader;
  try {
    const parsed = BundleHeader.safeParse(JSON.parse(fromUtf8(headerBytes)));
    if (!parsed.success) throw new Error('header shape');
    header = parsed.data;
  } catch {
    throw new AppError('handoff_corrupt', { reason: 'header' });
  }
  return {
    header,
    headerBytes,
    body: own(bytes.subarray(headerEnd + 4, bodyEnd)),
    signed: own(bytes.subarray(0, bodyEnd)),
    signature: own(bytes.subarray(bodyEnd, total)),
  };
}

function fromUtf8Safe(bytes: Uint8Array): string | null {
  try {
    return fromUtf8(bytes);
  } catch {
    return null;
  }
}

/** Checks the device signature over the whole bundle; throws handoff_tampered when it fails. */
export async function verifyBundle(parsed: ParsedBundle, deviceVerifyKey: Key): Promise<void> {
  const ok = await crypto.subtle.verify(SIGN_PARAMS, deviceVerifyKey, parsed.signature, parsed.signed);
  if (!ok) throw new AppError('handoff_tampered');
}

/**
 * Opens the body with the commune's private key. A body that does not open under a valid signature
 * was encrypted to another key: handoff_wrong_commune. The payload must agree with the header.
 */
export async function decryptBundle(parsed: ParsedBundle, communePrivate: Key): Promise<BundlePayload> {
  const { body, header } = parsed;
  let plain: Bytes;
  try {
    const ephPublic = await crypto.subtle.importKey(
      'raw',
      own(body.subarray(0, EPHEMERAL_LENGTH)),
      ECDH_ALG,
      false,
      [],
    );
    const secret = await crypto.subtle.deriveBits({ name: 'ECDH', public: ephPublic }, communePrivate, 256);
    const key = await aesKey(secret, header.bundleId, 'decrypt');
    const iv = own(body.subarray(EPHEMERAL_LENGTH, EPHEMERAL_LENGTH + IV_LENGTH));
    const cipher = own(body.subarray(EPHEMERAL_LENGTH + IV_LENGTH));
    plain = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: parsed.headerBytes }, key, cipher),
    );
  } catch {
    throw new AppError('handoff_wrong_commune', { reason: 'does_not_open' });
  }
  let payload: BundlePayload;
  try {
    const parsedPayload = BundlePayload.safeParse(JSON.parse(fromUtf8(await gunzip(plain))));
    if (!parsedPayload.success) throw new Error('payload shape');
    payload = parsedPayload.data;
  } catch {
    throw new AppError('handoff_corrupt', { reason: 'payload' });
  }
  const seqs = payload.mutations.map((m) => m.seq);
  const range = dateRange(payload.mutations);
  const agrees =
    payload.bundleId === header.bundleId &&
    payload.clientId === header.clientId &&
    payload.mutations.length === header.count &&
    Math.min(...seqs) === header.seqFrom &&
    Math.max(...seqs) === header.seqTo &&
    range.dateFrom === header.dateFrom &&
    range.dateTo === header.dateTo;
  if (!agrees) throw new AppError('handoff_corrupt', { reason: 'header_mismatch' });
  return payload;
}

/** What an importer knows about a device key (the lead's cached list, or the server's table). */
export interface KnownDeviceKey {
  keyId: string;
  userId: string;
  clientId: string;
  publicKey: string;
  revoked: boolean;
}

export interface OpenContext {
  communeCode: string;
  communeKeyId: string;
  communePrivate: Key;
  findDeviceKey(keyId: string): Promise<KnownDeviceKey | null>;
  importVerifyKey(publicRaw: string): Promise<Key>;
  /** True when this bundle id was already imported here. */
  seen(bundleId: string): Promise<boolean>;
}

export interface OpenedBundle {
  header: BundleHeader;
  mutations: Mutation[];
  device: KnownDeviceKey;
}

/**
 * Every check an importer makes, in order: frame, commune, device (known, not revoked, bound to
 * the volunteer and client the header names), signature, replay, then decryption. Throws AppError.
 */
export async function openBundle(bytes: Uint8Array, ctx: OpenContext): Promise<OpenedBundle> {
  const parsed = parseBundle(bytes);
  const { header } = parsed;
  if (header.communeCode !== ctx.communeCode || header.communeKeyId !== ctx.communeKeyId)
    throw new AppError('handoff_wrong_commune');
  const device = await ctx.findDeviceKey(header.deviceKeyId);
  if (!device) throw new AppError('handoff_unknown_device');
  if (device.revoked) throw new AppError('handoff_revoked');
  if (device.userId !== header.volunteer.id || device.clientId !== header.clientId)
    throw new AppError('handoff_tampered', { reason: 'device_not_bound' });
  await verifyBundle(parsed, await ctx.importVerifyKey(device.publicKey));
  if (await ctx.seen(header.bundleId)) throw new AppError('handoff_replayed');
  const payload = await decryptBundle(parsed, ctx.communePrivate);
  return { header, mutations: payload.mutations, device };
}
