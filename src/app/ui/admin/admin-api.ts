// The admin screen's calls to /api/v1/admin/* (docs/operations.md) through the app's ApiClient, and
// the form rules checked before anything is sent (field-level Vietnamese messages).
import {
  AdminDevice,
  AdminDirectory,
  AdminHamlet,
  AdminTeam,
  AdminUser,
  EnrolmentResponse,
  type CreateUserRequest,
  type UpdateUserRequest,
} from '../../../shared/admin.ts';
import {
  ImportCommitResponse,
  ImportPreviewResponse,
  type ImportCommitRequest,
} from '../../../shared/people-import.ts';
import { freeTextIssue } from '../../../shared/citizen/free-text.ts';
import type { Role } from '../../../shared/index.ts';
import { at } from './i18n.ts';
import type { ApiClient, ApiFailure, ApiResult } from '../../sync/api.ts';

export class AdminApi {
  readonly #api: ApiClient;
  readonly #token: string;
  constructor(api: ApiClient, token: string) {
    this.#api = api;
    this.#token = token;
  }
  directory(): Promise<ApiResult<AdminDirectory>> {
    return this.#api.get(this.#token, '/api/v1/admin/directory', AdminDirectory);
  }
  createUser(body: CreateUserRequest): Promise<ApiResult<AdminUser>> {
    return this.#api.postJson(this.#token, '/api/v1/admin/users', body, AdminUser);
  }
  updateUser(id: string, body: UpdateUserRequest): Promise<ApiResult<AdminUser>> {
    return this.#api.postJson(this.#token, `/api/v1/admin/users/${encodeURIComponent(id)}`, body, AdminUser);
  }
  createEnrolment(userId: string): Promise<ApiResult<EnrolmentResponse>> {
    const path = `/api/v1/admin/users/${encodeURIComponent(userId)}/enrolments`;
    return this.#api.postJson(this.#token, path, {}, EnrolmentResponse);
  }
  /** The file (base64) read and checked by the server; nothing is written. */
  importPreview(file: string): Promise<ApiResult<ImportPreviewResponse>> {
    return this.#api.postJson(
      this.#token,
      '/api/v1/admin/users/import/preview',
      { file },
      ImportPreviewResponse,
    );
  }
  /** The previewed rows, all written with their enrolment codes, or none. */
  importCommit(body: ImportCommitRequest): Promise<ApiResult<ImportCommitResponse>> {
    return this.#api.postJson(this.#token, '/api/v1/admin/users/import/commit', body, ImportCommitResponse);
  }
  createTeam(name: string): Promise<ApiResult<AdminTeam>> {
    return this.#api.postJson(this.#token, '/api/v1/admin/teams', { name }, AdminTeam);
  }
  renameTeam(id: string, name: string): Promise<ApiResult<AdminTeam>> {
    return this.#api.postJson(
      this.#token,
      `/api/v1/admin/teams/${encodeURIComponent(id)}`,
      { name },
      AdminTeam,
    );
  }
  createHamlet(name: string): Promise<ApiResult<AdminHamlet>> {
    return this.#api.postJson(this.#token, '/api/v1/admin/hamlets', { name }, AdminHamlet);
  }
  updateHamlet(id: string, body: { name?: string; active?: boolean }): Promise<ApiResult<AdminHamlet>> {
    return this.#api.postJson(
      this.#token,
      `/api/v1/admin/hamlets/${encodeURIComponent(id)}`,
      body,
      AdminHamlet,
    );
  }
  revokeDevice(id: string): Promise<ApiResult<AdminDevice>> {
    const path = `/api/v1/admin/devices/${encodeURIComponent(id)}/revoke`;
    return this.#api.postJson(this.#token, path, {}, AdminDevice);
  }
}

/** What to tell the admin when a call failed. */
export function adminFailureMessage(f: ApiFailure): string {
  if (f.kind === 'network') return at.loadFailed;
  if ((f.kind === 'http' || f.kind === 'unauthorized') && f.message) return f.message;
  return at.failed;
}

export interface UserForm {
  username: string;
  displayName: string;
  role: Role;
  teamId: string;
  password: string;
}

export type FormErrors = Partial<Record<keyof UserForm, string>>;

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,31}$/;

/** Field-level problems of a user form; `creating` checks the username too. */
export function checkUserForm(form: UserForm, creating: boolean): FormErrors {
  const errors: FormErrors = {};
  if (creating && !USERNAME_RE.test(form.username.trim())) {
    errors.username = form.username.trim() ? at.usernameInvalid : at.required;
  }
  if (!form.displayName.trim()) errors.displayName = at.required;
  else if (form.displayName.trim().length > 80) errors.displayName = at.failed;
  else if (freeTextIssue(form.displayName) === 'looks_like_id') errors.displayName = at.looksLikeId;
  if ((form.role === 'volunteer' || form.role === 'lead') && !form.teamId) errors.teamId = at.teamRequired;
  if (form.password && form.password.length < 8) errors.password = at.passwordShort;
  return errors;
}

/** The request body for a checked form. */
export function userRequest(form: UserForm): CreateUserRequest {
  return {
    username: form.username.trim(),
    displayName: form.displayName.trim(),
    role: form.role,
    teamId: form.teamId || null,
    ...(form.password ? { password: form.password } : {}),
  };
}

/** A server time as the admin reads it (local time, Vietnamese format). */
export function formatTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('vi-VN');
}
