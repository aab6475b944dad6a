// Entry point: `tsx src/server/cli.ts [--demo | --prune | --setup FILE | --add-commune FILE |
// --backup DIR | --restore FOLDER]`. Opens and migrates the store, seeds the demo commune when asked,
// listens, prints exactly one `listening at http://…` line on stdout (and, on an empty database, one
// set-up link line), then rebuilds the citizen cells of the dirty days in the background; or, with
// --prune, deletes expired tombstones and push results and exits; or creates a commune from a set-up
// file and exits; or backs up / restores and exits.
import { readFileSync } from 'node:fs';
import { buildApp } from './app.ts';
import { BackupError, backup, restore } from './backup.ts';
import { ConfigError, USAGE, displayUrl, parseConfig } from './config.ts';
import { demoBanner, seedDemo } from './demo.ts';
import { AppError, ERRORS, newId, type FieldIssue } from '../shared/index.ts';
import { hashToken, newToken } from './auth/tokens.ts';
import { createCommune, issueSetupToken } from './setup/commune.ts';
import { defaultKeyFile, loadOrCreateKeys } from './privacy/keys.ts';
import { purgeClosedContacts, scheduleContactPurge } from './privacy/retention.ts';
import { rebuildCellsInBackground } from './reporting/rebuild-at-start.ts';
import { openStore } from './store/open.ts';
import { MigrationError, StoreConfigError, TemporaryStoreError, type Store } from './store/store.ts';
import { pruneExpired } from './sync/retention.ts';

const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string, code: number): number {
  process.stderr.write(`${message}\n`);
  return code;
}

/** `--setup` / `--add-commune`: the file's commune, hamlets, teams and admin, or nothing. */
async function createFromFile(store: Store, file: string, kind: 'setup' | 'add'): Promise<number> {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(`Không đọc được tệp thiết lập ${file}: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  // The password may stay out of the file (a file with a password should be deleted after use).
  const envPassword = process.env.SOTAY_ADMIN_PASSWORD;
  if (typeof input === 'object' && input !== null && envPassword) {
    const o = input as { admin?: unknown };
    const admin = typeof o.admin === 'object' && o.admin !== null ? o.admin : {};
    if ((admin as { password?: unknown }).password === undefined)
      input = { ...o, admin: { ...admin, password: envPassword } };
  }
  try {
    const plan = await createCommune(store, input, { kind });
    process.stdout.write(
      `Đã tạo ${plan.commune.name} (mã ${plan.commune.code}): ${plan.hamlets.length} thôn/ấp/tổ dân phố, ` +
        `${plan.teams.length} tổ, quản trị "${plan.admin.username}". Hãy đăng nhập trên ứng dụng.\n`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const details = e.details as { fields?: FieldIssue[] } | undefined;
    const lines = [`Không tạo gì cả: ${e.code === 'invalid_request' ? 'tệp thiết lập có lỗi.' : errorVi(e)}`];
    for (const f of details?.fields ?? []) lines.push(`  ${f.field}: ${f.message}`);
    return fail(lines.join('\n'), 1);
  }
}

/** `--add-province-reader`: the token is printed once; only its hash is kept. */
async function addProvinceReader(store: Store, name: string): Promise<number> {
  const token = newToken();
  try {
    await store.addProvinceReader({
      id: newId(),
      name,
      tokenHash: hashToken(token),
      createdAt: new Date().toISOString(),
      revokedAt: null,
    });
  } catch (e) {
    if (e instanceof Error && /unique|duplicate/i.test(e.message))
      return fail(`Đã có tài khoản đọc của tỉnh tên "${name}".`, 1);
    throw e;
  }
  process.stdout.write(
    `Đã tạo tài khoản đọc của tỉnh "${name}": chỉ xem số đếm theo xã (GET /api/v1/province/tallies).\n` +
      `province token (shown once): ${token}\n`,
  );
  return 0;
}

function errorVi(e: AppError): string {
  return ERRORS[e.code].vi;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = parseConfig(process.env, argv);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message, 2);
    throw e;
  }

  // Before the store opens: a backup reads a running server's database as it is (no migration), and
  // a restore needs nothing open on its target.
  if (config.backupDir !== undefined || config.restoreFrom !== undefined) {
    const target = { dataDir: config.dataDir, databaseUrl: config.databaseUrl, keyFile: config.keyFile };
    try {
      if (config.backupDir !== undefined) {
        process.stdout.write(`backup written to ${await backup(target, config.backupDir)}\n`);
      } else {
        const r = await restore(target, config.restoreFrom ?? '', { force: config.force });
        process.stdout.write(
          `restored the ${r.manifest.store} backup of ${r.manifest.createdAt} (version ${r.manifest.version}); ` +
            `restore epoch ${r.restoredAt}\n`,
        );
      }
      return 0;
    } catch (e) {
      if (e instanceof BackupError || e instanceof StoreConfigError) return fail(e.message, 1);
      throw e;
    }
  }

  let store: Store;
  try {
    store = openStore(config);
  } catch (e) {
    if (e instanceof StoreConfigError) return fail(e.message, 1);
    throw e;
  }
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    if (e instanceof MigrationError) return fail(`Không khởi động được: ${e.message}`, 1);
    if (e instanceof TemporaryStoreError)
      return fail(`Không kết nối được cơ sở dữ liệu (${store.kind}): ${e.message}`, 1);
    throw e;
  }

  if (config.prune) {
    try {
      const r = await pruneExpired(store, { days: config.retentionDays });
      process.stdout.write(
        `pruned ${r.tombstones} tombstones and ${r.results} push results last written before ${r.before}; ` +
          `pull cursors below version ${r.prunedVersion} now reset\n`,
      );
      const c = await purgeClosedContacts(store, { days: config.contactRetentionDays });
      process.stdout.write(`purged ${c.purged} follow-up contacts whose case closed before ${c.before}\n`);
      return 0;
    } finally {
      await store.close();
    }
  }

  if (config.setupFile !== undefined || config.addCommuneFile !== undefined) {
    try {
      if (config.setupFile !== undefined) return await createFromFile(store, config.setupFile, 'setup');
      return await createFromFile(store, config.addCommuneFile ?? '', 'add');
    } finally {
      await store.close();
    }
  }

  if (config.addProvinceReader !== undefined) {
    try {
      return await addProvinceReader(store, config.addProvinceReader);
    } finally {
      await store.close();
    }
  }

  if (config.demo) {
    const seeded = await seedDemo(store, { activity: config.demoActivity });
    for (const line of await demoBanner(store, seeded)) process.stdout.write(`${line}\n`);
  }

  const keyFile = config.keyFile ?? defaultKeyFile(config.dataDir);
  let keys;
  try {
    const loaded = await loadOrCreateKeys(keyFile);
    keys = loaded.keys;
    if (loaded.created)
      process.stderr.write(`created the key file of citizens' data at ${keyFile}: back it up\n`);
  } catch (e) {
    await store.close();
    return fail(`Không đọc được tệp khoá ${keyFile}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }

  // A new link at each start while no commune exists; earlier ones stay valid until the set-up.
  let setupToken: string | null;
  try {
    setupToken = await issueSetupToken(store);
  } catch (e) {
    await store.close();
    return fail(`Không ghi được mã thiết lập: ${e instanceof Error ? e.message : String(e)}`, 1);
  }

  const app = await buildApp({
    store,
    keys,
    staticDir: config.staticDir,
    maxMutations: config.maxMutations,
    security: { corsOrigins: config.corsOrigins, hsts: config.hsts, trustProxy: config.trustProxy },
    // Logs go to stderr so stdout carries only what people and scripts read.
    logger: { level: config.logLevel, stream: process.stderr },
  });
  try {
    // Fastify's own "listening" log line is renamed so that only ours matches `listening at`.
    await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (a) => `server bound to ${a}`,
    });
  } catch (e) {
    await app.close();
    await store.close();
    return fail(
      `Không mở được cổng ${config.port} trên ${config.host}: ${e instanceof Error ? e.message : String(e)}`,
      1,
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = displayUrl(config.host, port);
  // One write: whoever waits for the listening line finds the set-up link beside it.
  process.stdout.write(
    `listening at ${url}\n` +
      (setupToken === null ? '' : `Thiết lập lần đầu (chưa có xã nào): mở ${url}/setup#${setupToken}\n`),
  );
  const stopPurge = scheduleContactPurge(store, config.contactRetentionDays, app.log);
  // After listening, not before: health checks answer while a large database is rebuilt.
  const rebuild = rebuildCellsInBackground(store, app.log);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    stopPurge();
    app.log.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    // In-flight requests finish first; then the database closes cleanly (WAL checkpointed).
    void Promise.all([app.close(), rebuild.stop()])
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`shutdown failed: ${String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    // -1: the server is running; the process lives until a signal.
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
