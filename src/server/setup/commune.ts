// Creating a commune with its hamlets, teams and first admin in one transaction: the first-run
// set-up (page and `--setup`) and a host operator's `--add-commune` (docs/operations.md).
import { AppError, newId, type FieldIssue } from '../../shared/index.ts';
import { checkSetup, type SetupPlan } from '../../shared/setup.ts';
import { hashPassword } from '../auth/password.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Store } from '../store/store.ts';

export type CreateMode =
  /** The first commune: refused once any commune exists; with a link's token, the token must be known. */
  | { kind: 'setup'; token?: string }
  /** One more commune of a deployment (host operator only, never over HTTP). */
  | { kind: 'add' };

function refused(issues: FieldIssue[]): AppError {
  return new AppError('invalid_request', { fields: issues });
}

/**
 * Check `input` (checkSetup) and create it all, or nothing. Throws AppError: invalid_request with
 * `details.fields`, setup_done, setup_token_invalid, commune_exists, username_taken.
 */
export async function createCommune(store: Store, input: unknown, mode: CreateMode): Promise<SetupPlan> {
  const checked = checkSetup(input);
  if (!checked.ok) throw refused(checked.issues);
  const plan = checked.value;
  const tokenHash = mode.kind === 'setup' && mode.token !== undefined ? hashToken(mode.token) : null;
  // Hash before the transaction: scrypt is slow and the write lock should not wait for it.
  const passwordHash = await hashPassword(plan.admin.password);
  try {
    await store.transaction(async (tx) => {
      // Under the write lock: two set-ups at once (two tabs, two processes) create one commune.
      if (mode.kind === 'setup' && (await tx.communeCount()) > 0) throw new AppError('setup_done');
      if (tokenHash !== null && !(await tx.hasSetupToken(tokenHash)))
        throw new AppError('setup_token_invalid');
      if (await tx.getCommune(plan.commune.code)) throw communeExists();
      if (await tx.findUserByUsername(plan.admin.username)) throw usernameTaken();
      const code = plan.commune.code;
      await tx.insertCommune(code, plan.commune.name);
      for (const [i, name] of plan.hamlets.entries())
        await tx.insertHamlet({ id: newId(), communeCode: code, name, sortOrder: i + 1 });
      for (const name of plan.teams) await tx.insertTeam({ id: newId(), communeCode: code, name });
      await tx.insertUser({
        id: newId(),
        username: plan.admin.username,
        displayName: plan.admin.displayName,
        passwordHash,
        role: 'admin',
        communeCode: code,
        teamId: null,
        active: true,
      });
      await tx.clearSetupTokens();
    });
  } catch (e) {
    // Another process won a race on the same code or username: its unique index refused ours.
    if (!(e instanceof AppError)) {
      if (await store.getCommune(plan.commune.code)) throw communeExists();
      if (await store.findUserByUsername(plan.admin.username)) throw usernameTaken();
    }
    throw e;
  }
  return plan;
}

// Usernames are unique across the deployment (users.username UNIQUE), not per commune.
function usernameTaken(): AppError {
  return new AppError('username_taken', {
    fields: [
      {
        field: 'admin.username',
        code: 'taken',
        message: 'Tên đăng nhập này đã có người dùng trên máy chủ (kể cả ở xã khác). Hãy chọn tên khác.',
      },
    ],
  });
}

function communeExists(): AppError {
  return new AppError('commune_exists', {
    fields: [{ field: 'commune.code', code: 'exists', message: 'Mã xã/phường này đã có trên máy chủ.' }],
  });
}

/** True while no commune exists: the server answers only its health and the set-up. */
export function setupPending(store: Store): Promise<boolean> {
  // No commune means no user either (users.commune_code references communes).
  return store.isEmpty();
}

/**
 * A new set-up link's token while set-up is pending, kept hashed so every process sharing the
 * database accepts it; null once a commune exists. Earlier links stay valid until the set-up.
 */
export async function issueSetupToken(store: Store): Promise<string | null> {
  const token = newToken();
  const issued = await store.transaction(async (tx) => {
    if ((await tx.communeCount()) > 0) return false;
    await tx.addSetupToken(hashToken(token), new Date().toISOString());
    return true;
  });
  return issued ? token : null;
}
