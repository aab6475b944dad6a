// The admin's data-subject requests (docs/privacy.md): the ID number is checked here first, then sent
// in a POST body to the server, which hashes it; nothing of it is stored on this device.
import { tSubjects } from '../i18n/subjects.ts';
import {
  SubjectResponse,
  idNumberProblem,
  normaliseIdNumber,
  type SubjectRequest,
} from '../../shared/index.ts';
import { t } from '../i18n/index.ts';
import { ApiClient, type ApiFailure, type ApiOptions, type ApiResult } from '../sync/api.ts';

export const SUBJECT_PATH = '/api/v1/privacy/subject-requests';

/** Why the typed number cannot be used, or null. */
export function idNumberMessage(input: string): string | null {
  const problem = idNumberProblem(input);
  if (!problem) return null;
  if (problem === 'required') return tSubjects.idRequired;
  return {
    id_digits: t.contact.idDigits,
    id_province: t.contact.idProvince,
    id_century: t.contact.idCentury,
  }[problem];
}

export function sendSubjectRequest(
  token: string,
  idNumber: string,
  action: SubjectRequest['action'],
  opts: ApiOptions = {},
): Promise<ApiResult<SubjectResponse>> {
  return new ApiClient(opts).postJson(
    token,
    SUBJECT_PATH,
    { idNumber: normaliseIdNumber(idNumber), action },
    SubjectResponse,
  );
}

/** The CSV export as a Blob (the server builds it), or a failure message. */
export async function fetchSubjectCsv(
  token: string,
  idNumber: string,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<{ ok: true; blob: Blob } | { ok: false; message: string }> {
  try {
    const res = await fetchImpl(SUBJECT_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ idNumber: normaliseIdNumber(idNumber), action: 'export', format: 'csv' }),
      cache: 'no-store',
    });
    if (res.ok && (res.headers.get('content-type') ?? '').startsWith('text/csv'))
      return { ok: true, blob: await res.blob() };
    return { ok: false, message: tSubjects.failed };
  } catch {
    return { ok: false, message: tSubjects.offline };
  }
}

export function subjectFailureMessage(f: ApiFailure): string {
  if (f.kind === 'network') return tSubjects.offline;
  if (f.kind === 'unauthorized') return tSubjects.expired;
  if (f.kind === 'http' && f.status === 403) return tSubjects.forbidden;
  if (f.kind === 'http' && f.message) return f.message;
  return tSubjects.failed;
}
