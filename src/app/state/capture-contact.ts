// The "Liên hệ theo dõi" part of the capture form as plain data: closed, it adds nothing to the
// record; open, it needs consent (never pre-ticked) and seals a typed ID number for the server
// (`citizenSeal`: only the server can open it and key it) and keys it with the device's own key for
// on-device counts. The ID number lives only in memory: it is never written to the record, the
// outbox or a draft. Name, phone and dossier code are sealed for the server before the record is stored.
import {
  CURRENT_CONSENT_NOTICE,
  contactFieldIssues,
  idNumberProblem,
  normaliseContact,
  sealCitizenId,
  sealContact,
  type ContactFields,
  type IdNumberProblem,
} from '../../shared/index.ts';
import { t } from '../i18n/index.ts';
import type { SotayDB } from '../db/database.ts';
import { deviceCitizenKey } from '../privacy/citizen-key.ts';
import type { FieldMessages } from './capture-form.ts';

export interface ContactValues {
  /** The section is open: only then does anything of it reach the record. */
  open: boolean;
  consentGiven: boolean;
  consentMethod: string;
  idNumber: string;
  name: string;
  phone: string;
  dossierCode: string;
}

export function blankContact(): ContactValues {
  return {
    open: false,
    consentGiven: false,
    consentMethod: '',
    idNumber: '',
    name: '',
    phone: '',
    dossierCode: '',
  };
}

/** The server's public key (from login): ID numbers and contacts are sealed to it. */
export interface ContactKeys {
  contactKey: string | undefined;
}

/** The name, phone and dossier code typed in the section, normalised; null when none. */
export function typedContact(c: ContactValues): ContactFields | null {
  const contact = normaliseContact({ name: c.name, phone: c.phone, dossierCode: c.dossierCode });
  return Object.keys(contact).length > 0 ? contact : null;
}

const ID_MESSAGES: Record<Exclude<IdNumberProblem, 'required'>, () => string> = {
  id_digits: () => t.contact.idDigits,
  id_province: () => t.contact.idProvince,
  id_century: () => t.contact.idCentury,
};

/** What needs fixing in the open section (keys: consentGiven, consentMethod, idNumber). */
export function contactIssues(c: ContactValues, keys: ContactKeys): FieldMessages {
  const out: FieldMessages = {};
  if (!c.open) return out;
  if (!c.consentGiven) {
    out.consentGiven = t.contact.consentRequired;
    return out;
  }
  if (!c.consentMethod) out.consentMethod = t.contact.methodRequired;
  const problem = idNumberProblem(c.idNumber);
  if (problem && problem !== 'required') out.idNumber = ID_MESSAGES[problem]();
  else if (!problem && !keys.contactKey) out.idNumber = t.contact.noSecret;
  const contact = typedContact(c);
  if (contact) {
    for (const i of contactFieldIssues(contact)) out[i.field] ??= i.message;
    if (!keys.contactKey) out.contactName ??= t.contact.noContactKey;
  }
  return out;
}

/** What the section adds: record fields for the server, and the device-only key of the citizen. */
export interface ContactOutput {
  /** Consent (given, method, notice version, time), the sealed ID number and the sealed contact. */
  fields: Record<string, unknown>;
  /** The device's own key of the ID number, kept on the local record only (never sent). */
  deviceCitizenKey?: string;
}

/**
 * The record fields the section adds: consent (given, method, notice version, time) and, when an ID
 * number was typed, the number sealed for the server, plus this device's own key of it. Call only
 * when contactIssues found nothing.
 */
export async function contactFields(
  c: ContactValues,
  keys: ContactKeys,
  recordId: string,
  now: Date,
  db: SotayDB,
): Promise<ContactOutput> {
  if (!c.open) return { fields: {} };
  const out: Record<string, unknown> = {
    consentGiven: true,
    consentMethod: c.consentMethod,
    consentNotice: CURRENT_CONSENT_NOTICE,
    consentAt: now.toISOString(),
  };
  let deviceKey: string | undefined;
  if (keys.contactKey && idNumberProblem(c.idNumber) === null) {
    out.citizenSeal = await sealCitizenId(keys.contactKey, recordId, c.idNumber);
    deviceKey = await deviceCitizenKey(db, c.idNumber);
  }
  // Sealed for the server at once: the clear contact never reaches IndexedDB.
  const contact = typedContact(c);
  if (contact && keys.contactKey) out.contact = await sealContact(keys.contactKey, recordId, contact);
  return deviceKey ? { fields: out, deviceCitizenKey: deviceKey } : { fields: out };
}

/**
 * The volunteer's own readable copy (docs/privacy.md): encrypted under the PIN vault's data key when
 * the vault is unlocked; locked or without a PIN nothing is kept and nothing is asked (the capture
 * never waits for a PIN). Never on the wire. Resolves whether a copy was stored.
 */
export async function keepLocalCopy(
  db: SotayDB,
  recordId: string,
  contact: ContactFields,
  outcome: string,
): Promise<boolean> {
  const { vaultFor } = await import('../privacy/vault.svelte.ts');
  const vault = vaultFor(db);
  await vault.load();
  return vault.keep(recordId, contact, outcome !== 'follow_up').catch(() => false);
}
