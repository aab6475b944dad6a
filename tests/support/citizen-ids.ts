// Generated ID numbers for tests: plausible in shape (a real birth-province code, a 4th digit of
// 0–3) but made from a counter and a random tail, never a real person's. Every number handed out is
// remembered, so the "no ID number anywhere" tests can search storage for all of them.
import { BIRTH_PROVINCE_CODES, CURRENT_CONSENT_NOTICE, sealCitizenId } from '../../src/shared/index.ts';
import { testRandom } from './seed.ts';

const PROVINCES = [...BIRTH_PROVINCE_CODES];
/** Every ID number generated in this test process, in order. */
export const GENERATED_ID_NUMBERS: string[] = [];

export function fakeIdNumber(): string {
  const province = PROVINCES[Math.floor(testRandom() * PROVINCES.length)]!;
  const century = String(Math.floor(testRandom() * 4));
  let tail = '';
  for (let i = 0; i < 8; i++) tail += String(Math.floor(testRandom() * 10));
  const n = province + century + tail;
  GENERATED_ID_NUMBERS.push(n);
  return n;
}

/** The fields a phone's create carries for an ID number typed with consent: the number sealed for
 *  the server (to `contactKey` from login, bound to the record id), and the consent that goes with it. */
export async function sealedCitizen(
  contactKey: string | undefined,
  recordId: string,
  idNumber: string,
): Promise<{
  citizenSeal: string;
  consentGiven: true;
  consentMethod: 'spoken';
  consentNotice: typeof CURRENT_CONSENT_NOTICE;
  consentAt: string;
}> {
  if (!contactKey) throw new Error('the login answer has no contactKey');
  return {
    citizenSeal: await sealCitizenId(contactKey, recordId, idNumber),
    consentGiven: true,
    consentMethod: 'spoken',
    consentNotice: CURRENT_CONSENT_NOTICE,
    consentAt: '2025-10-15T08:00:00.000+07:00',
  };
}
