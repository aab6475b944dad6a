// The admin's report settings form, without the screen: the draft as typed (lists one per line),
// checked with the contract's zod schema into Vietnamese field messages, a 400's field details
// read the same way, and the GET/PUT of /api/v1/report-settings with the session's token.
import { ErrorResponse, ReportSettings, freeTextFieldIssue } from '../../shared/index.ts';
import { dt } from './i18n.ts';
import { pt } from './print-i18n.ts';

export const SETTINGS_FIELDS = [
  'issuer',
  'numberSuffix',
  'addressees',
  'bases',
  'recipients',
  'signerCapacity',
  'signerTitle',
  'signerName',
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
export const LIST_FIELDS = ['addressees', 'bases', 'recipients'] as const;
type ListField = (typeof LIST_FIELDS)[number];

/** What the form holds: every field as typed, lists as one text with a line per item. */
export type SettingsDraft = Record<SettingsField, string>;
export type FieldErrors = Partial<Record<SettingsField, string>>;

const isList = (f: SettingsField): f is ListField => (LIST_FIELDS as readonly string[]).includes(f);

export function toDraft(s: ReportSettings): SettingsDraft {
  const out = {} as SettingsDraft;
  for (const f of SETTINGS_FIELDS) {
    const v = s[f];
    out[f] = Array.isArray(v) ? v.join('\n') : v;
  }
  return out;
}

/** The draft as the API takes it: list items are its non-blank lines. */
export function fromDraft(d: SettingsDraft): Record<SettingsField, string | string[]> {
  const out = {} as Record<SettingsField, string | string[]>;
  for (const f of SETTINGS_FIELDS)
    out[f] = isList(f)
      ? d[f]
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '')
      : d[f];
  return out;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  maximum?: number | bigint;
  origin?: string;
}

function messageOf(issue: Issue): string {
  const e = pt.settings.errors;
  const max = Number(issue.maximum ?? 0);
  if (issue.code === 'invalid_format') return e.suffix;
  if (issue.code === 'too_big' && issue.origin === 'array') return e.tooManyLines(max);
  if (issue.code === 'too_big' && typeof issue.path[1] === 'number')
    return e.lineTooLong(issue.path[1] + 1, max);
  if (issue.code === 'too_big') return e.tooLong(max);
  return e.invalid;
}

export type Checked = { ok: true; value: ReportSettings } | { ok: false; errors: FieldErrors };

/**
 * The draft checked as the server checks it: the contract's schema, then no ID number in any text
 * printed on a letter that leaves the commune (docs/privacy.md); the first issue per field.
 */
export function checkDraft(d: SettingsDraft): Checked {
  const parsed = ReportSettings.safeParse(fromDraft(d));
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues as Issue[]) {
      const field = String(issue.path[0] ?? '') as SettingsField;
      if (SETTINGS_FIELDS.includes(field) && !errors[field]) errors[field] = messageOf(issue);
    }
    return { ok: false, errors };
  }
  for (const f of SETTINGS_FIELDS) {
    const v = parsed.data[f];
    for (const text of Array.isArray(v) ? v : [v]) {
      const issue = freeTextFieldIssue(f, pt.settings.names[f], text);
      if (issue && !errors[f]) errors[f] = issue.message;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: parsed.data };
}

/** `details.fields[{ field, message }]` of a 400: "addressees.2" or "addressees[2]" is the list's. */
export function serverFieldErrors(details: unknown): FieldErrors {
  const fields = (details as { fields?: unknown } | null | undefined)?.fields;
  const errors: FieldErrors = {};
  if (!Array.isArray(fields)) return errors;
  for (const item of fields as { field?: unknown; message?: unknown }[]) {
    const name = /^[A-Za-z]+/.exec(typeof item?.field === 'string' ? item.field : '')?.[0] as SettingsField;
    if (!SETTINGS_FIELDS.includes(name) || errors[name]) continue;
    errors[name] =
      typeof item.message === 'string' && item.message ? item.message : pt.settings.errors.invalid;
  }
  return errors;
}

export type SettingsResult =
  { ok: true; value: ReportSettings | null } | { ok: false; message: string; fields?: FieldErrors };

const PATH = '/api/v1/report-settings';

/** `{ settings }` or the settings themselves; keys the form does not know are left aside. */
function readSettings(body: unknown): ReportSettings | null {
  const inner = (body as { settings?: unknown } | null)?.settings ?? body;
  if (!inner || typeof inner !== 'object') return null;
  const known: Record<string, unknown> = {};
  for (const f of SETTINGS_FIELDS) known[f] = (inner as Record<string, unknown>)[f];
  const parsed = ReportSettings.safeParse(known);
  return parsed.success ? parsed.data : null;
}

async function readJson(res: Response): Promise<unknown> {
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(res.headers.get('content-type') ?? '')) return undefined;
  try {
    return (await res.json()) as unknown;
  } catch {
    return undefined;
  }
}

function failure(status: number, fallback: string): string {
  if (status === 401) return dt.errors.expired;
  if (status === 403) return dt.errors.forbidden;
  if (status === 404) return dt.errors.unsupported;
  return `${fallback} (${dt.errors.http(status)})`;
}

export class ReportSettingsClient {
  readonly #token: () => string;
  readonly #fetch: () => typeof fetch | undefined;

  constructor(token: () => string, fetchImpl: () => typeof fetch | undefined) {
    this.#token = token;
    this.#fetch = fetchImpl;
  }

  async #send(method: 'GET' | 'PUT', body?: ReportSettings): Promise<Response | null> {
    // Unbound window.fetch throws "Illegal invocation".
    const f = this.#fetch() ?? globalThis.fetch.bind(globalThis);
    try {
      return await f(PATH, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.#token()}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return null;
    }
  }

  async load(): Promise<SettingsResult> {
    const res = await this.#send('GET');
    if (!res) return { ok: false, message: dt.errors.offline };
    const body = await readJson(res);
    if (!res.ok) return { ok: false, message: failure(res.status, pt.settings.loadFailed) };
    const value = readSettings(body);
    return value ? { ok: true, value } : { ok: false, message: dt.errors.invalid };
  }

  /** PUT; a 2xx JSON answer saves (its settings, when it returns them, are what the server kept). */
  async save(value: ReportSettings): Promise<SettingsResult> {
    const res = await this.#send('PUT', value);
    if (!res) return { ok: false, message: dt.errors.offline };
    const body = await readJson(res);
    if (res.ok) {
      if (body === undefined && res.status !== 204) return { ok: false, message: dt.errors.invalid };
      return { ok: true, value: readSettings(body) };
    }
    const err = ErrorResponse.safeParse(body);
    if (res.status === 400 && err.success) {
      const fields = serverFieldErrors(err.data.error.details);
      if (Object.keys(fields).length > 0) return { ok: false, message: pt.settings.fixFields, fields };
      return { ok: false, message: `${pt.settings.saveFailed} ${err.data.error.message}` };
    }
    return { ok: false, message: failure(res.status, pt.settings.saveFailed) };
  }
}
