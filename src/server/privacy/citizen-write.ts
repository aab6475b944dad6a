// The write path of a record's ID number, inside a push transaction (mutation.ts): a create may carry
// the number sealed for the server (`citizenSeal`); it is opened here, checked, and turned into
// citizenKey under the commune's secret (citizen-secret.ts). Only the key is kept: the seal itself is
// never stored, logged, kept in history or in a stored push result, and the clear number is dropped
// as soon as the key is made.
import { CITIZEN_SEAL_INFO, fieldMessageVi, idNumberProblem, type FieldIssue } from '../../shared/index.ts';
import { openSealedBytes } from './contact-vault.ts';
import type { ServerKeys } from './keys.ts';

/** Take `citizenSeal` out of a (validated) record or patch: it never goes into the record's data. */
export function splitCitizenSeal<T extends Record<string, unknown>>(
  patch: T,
): { rest: Omit<T, 'citizenSeal'>; sealed: unknown } {
  const { citizenSeal: sealed, ...rest } = patch;
  return { rest, sealed };
}

const badSeal = (): FieldIssue[] => [
  { field: 'citizenSeal', code: 'seal_invalid', message: fieldMessageVi('citizenSeal', 'seal_invalid') },
];

/**
 * The citizenKey a create's seal stands for: undefined without a seal; issues (the create is
 * rejected, nothing stored) when it does not open for this record or opens to no plausible number.
 */
export async function citizenKeyFromSeal(
  keys: ServerKeys | undefined,
  communeCode: string,
  recordId: string,
  sealed: unknown,
): Promise<string | undefined | FieldIssue[]> {
  if (sealed === undefined || sealed === null) return undefined;
  if (typeof sealed !== 'string' || !keys) return badSeal();
  const clear = await openSealedBytes(keys, recordId, sealed, CITIZEN_SEAL_INFO);
  if (!clear) return badSeal();
  const idNumber = new TextDecoder('utf-8', { fatal: false }).decode(clear);
  // Exactly the 12 digits the phone seals (seal.ts normalises): anything else was not made by the app.
  if (!/^\d{12}$/.test(idNumber) || idNumberProblem(idNumber) !== null) return badSeal();
  return keys.citizen.keyOf(communeCode, idNumber);
}
