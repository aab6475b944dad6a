// Small pure pieces: password hashing, tokens, configuration, the error mapping.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/index.ts';
import { hashPassword, verifyPassword } from '../../src/server/auth/password.ts';
import { bearerToken, hashToken, newToken } from '../../src/server/auth/tokens.ts';
import { ConfigError, displayUrl, parseConfig } from '../../src/server/config.ts';
import { codeOf } from '../../src/server/http/errors.ts';

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('mật khẩu');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('mật khẩu', stored)).toBe(true);
    expect(await verifyPassword('mat khau', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('demo')).not.toBe(await hashPassword('demo'));
  });

  it('answers false for a malformed stored hash instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$1$2$3$$', 'scrypt$99999999$8$1$AAAA$AAAA'])
      expect(await verifyPassword('demo', bad)).toBe(false);
  });
});

describe('tokens', () => {
  it('makes 43-character base64url tokens and stores only their SHA-256', () => {
    const t = newToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
  });

  it('reads only a well-formed Bearer header', () => {
    const t = newToken();
    expect(bearerToken(`Bearer ${t}`)).toBe(t);
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken(`Basic ${t}`)).toBeNull();
    expect(bearerToken('Bearer short')).toBeNull();
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(parseConfig({}, [])).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: './data',
      databaseUrl: undefined,
      staticDir: 'dist',
      demo: false,
      logLevel: 'info',
    });
  });

  it('reads the environment and --demo', () => {
    const c = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: '/tmp/x', STATIC_DIR: 'build' }, [
      '--demo',
    ]);
    expect(c).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/tmp/x',
      staticDir: 'build',
      demo: true,
    });
  });

  it('refuses a bad port, an unknown flag and an unknown log level', () => {
    expect(() => parseConfig({ PORT: '70000' }, [])).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: '-1' }, [])).toThrow(ConfigError);
    expect(() => parseConfig({}, ['--dmeo'])).toThrow(/Unknown argument/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' }, [])).toThrow(ConfigError);
  });

  it('prints a loopback URL for a wildcard bind address', () => {
    expect(displayUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080');
    expect(displayUrl('192.168.1.5', 80)).toBe('http://192.168.1.5:80');
  });
});

describe('error mapping', () => {
  it('maps Fastify body errors to catalogue codes and unknown failures to internal', () => {
    expect(codeOf(new AppError('forbidden'))).toBe('forbidden');
    expect(codeOf({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).toBe('payload_too_large');
    expect(codeOf({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 })).toBe('invalid_json');
    expect(codeOf({ code: 'SQLITE_BUSY' })).toBe('unavailable');
    expect(codeOf(new Error('boom'))).toBe('internal');
  });
});
