// The hand-off routes' messages (docs/handoff.md, docs/sync-protocol.md "On-behalf push").
import * as z from 'zod/mini';

const b64 = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/));

/** Added to the login answer: the commune's public keys, so a phone can export while offline. */
export const LoginHandoff = z.object({
  communeKeyId: z.string(),
  /** ECDH P-256 raw public point, base64url: bundles are encrypted to it. */
  encryptPublic: b64,
  /** ECDSA P-256 raw public point, base64url: receipts are signed with its private half. */
  receiptPublic: b64,
});
export type LoginHandoff = z.infer<typeof LoginHandoff>;

export const RegisterDeviceKeyRequest = z.strictObject({
  clientId: z.string().check(z.minLength(8), z.maxLength(64)),
  publicKey: b64.check(z.maxLength(200)),
});
export type RegisterDeviceKeyRequest = z.infer<typeof RegisterDeviceKeyRequest>;

export const RegisterDeviceKeyResponse = z.object({ keyId: z.string() });
export type RegisterDeviceKeyResponse = z.infer<typeof RegisterDeviceKeyResponse>;

export const TeamDeviceKey = z.object({
  keyId: z.string(),
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  clientId: z.string(),
  publicKey: b64,
  revoked: z.boolean(),
});
export type TeamDeviceKey = z.infer<typeof TeamDeviceKey>;

export const TeamDeviceKeysResponse = z.object({ keys: z.array(TeamDeviceKey) });
export type TeamDeviceKeysResponse = z.infer<typeof TeamDeviceKeysResponse>;

/** Only for leads and admins of the commune: what a lead's device needs to open bundles offline. */
export const CommuneKeyResponse = z.object({
  communeCode: z.string(),
  communeKeyId: z.string(),
  encryptPublic: b64,
  encryptPrivate: b64,
  receiptPublic: b64,
});
export type CommuneKeyResponse = z.infer<typeof CommuneKeyResponse>;

export const BundleUploadRequest = z.strictObject({
  /** The bundle file's bytes, base64url. */
  bundle: b64,
});
export type BundleUploadRequest = z.infer<typeof BundleUploadRequest>;

export const BundleUploadResponse = z.object({
  bundleId: z.string(),
  volunteerId: z.string(),
  clientId: z.string(),
  count: z.int(),
  ackedSeq: z.int(),
  /** Results by status of this upload (zero counts left out); a repeated upload answers all zero. */
  statuses: z.record(z.string(), z.int()),
  /** True when the server had taken this bundle before: the stored receipt is answered again. */
  repeated: z.boolean(),
  receipt: z.string(),
});
export type BundleUploadResponse = z.infer<typeof BundleUploadResponse>;
