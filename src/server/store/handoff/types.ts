// Hand-off to the team lead without internet (docs/handoff.md); both stores implement it in
// handoff/sqlite.ts and handoff/postgres.ts over the rows of handoff/rows.ts.

export interface HandoffCommuneKeyRow {
  communeCode: string;
  keyId: string;
  /** Raw public points and PKCS#8 private keys, base64url. */
  encryptPublic: string;
  encryptPrivate: string;
  receiptPublic: string;
  receiptPrivate: string;
  createdAt: string;
}

export interface HandoffDeviceKeyRow {
  keyId: string;
  userId: string;
  clientId: string;
  /** Raw ECDSA P-256 public point, base64url. */
  publicKey: string;
  createdAt: string;
  revokedAt: string | null;
  /**
   * The enrolled device whose session registered the key; null when registered from a password
   * session. Revoking that device revokes the key (docs/handoff.md).
   */
  deviceId: string | null;
}

export interface HandoffBundleRow {
  bundleId: string;
  keyId: string;
  clientId: string;
  volunteerId: string;
  leadId: string;
  /** SHA-256 of the bundle bytes, base64url: the same id with other bytes is a replay. */
  digest: string;
  count: number;
  /** The signed receipt text answered for it. */
  receipt: string;
  receivedAt: string;
}

export interface HandoffTx {
  getHandoffCommuneKey(communeCode: string): Promise<HandoffCommuneKeyRow | null>;
  /** Inserts unless the commune already has a key (the first one stays). */
  insertHandoffCommuneKey(row: HandoffCommuneKeyRow): Promise<void>;
  getHandoffDeviceKey(keyId: string): Promise<HandoffDeviceKeyRow | null>;
  /** Inserts unless the key id is known already. */
  insertHandoffDeviceKey(row: HandoffDeviceKeyRow): Promise<void>;
  /** The device keys of a team's members, oldest first. */
  listHandoffDeviceKeys(teamId: string): Promise<HandoffDeviceKeyRow[]>;
  /** Marks a key revoked (device revocation); its bundles are refused from then on. */
  revokeHandoffDeviceKey(keyId: string, at: string): Promise<void>;
  /** Marks every key of one sync client revoked (a revoked device); answers how many changed. */
  revokeHandoffKeysOfClient(clientId: string, at: string): Promise<number>;
  getHandoffBundle(bundleId: string): Promise<HandoffBundleRow | null>;
  insertHandoffBundle(row: HandoffBundleRow): Promise<void>;
}
