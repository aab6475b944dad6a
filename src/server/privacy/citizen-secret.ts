// Each commune's secret for citizenKey = HMAC-SHA256(secret, ID number) (docs/privacy.md). Made
// here for a new commune; the migration made one for every commune that existed before.
import { createHmac, randomBytes } from 'node:crypto';

export function newCitizenSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * citizenKey as the device makes it (src/app/privacy/citizen-key.ts): the key is the secret's 32
 * bytes, the message the 12 ASCII digits. Used by data-subject requests on the server.
 */
export function citizenKeyOf(secretHex: string, idNumber: string): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex')).update(idNumber, 'utf8').digest('hex');
}
