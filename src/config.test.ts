// Configuration: defaults are sane, and a bad value stops start-up with the variable's name.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: embedded database in ./data, both roles, port 3000 on loopback', () => {
  const config = loadConfig({}, '/srv/app');
  assert.deepEqual(config.database, { kind: 'pglite', dataDir: path.resolve('/srv/app', 'data') });
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.deepEqual([...config.roles].sort(), ['api', 'worker']);
});

test('DATABASE_URL selects PostgreSQL; the admin URL defaults to it', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://app@db:5432/diligence', DATABASE_POOL_SIZE: '5' });
  assert.deepEqual(config.database, {
    kind: 'postgres',
    url: 'postgres://app@db:5432/diligence',
    adminUrl: 'postgres://app@db:5432/diligence',
    poolSize: 5,
  });
});

const badValues: [Record<string, string>, string, RegExp][] = [
  [{ PORT: 'eighty' }, 'PORT', /whole number/],
  [{ PORT: '70000' }, 'PORT', /between 0 and 65535/],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/],
  [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY', /forge/],
  [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', /IP addresses or CIDR/],
  [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', /postgres:\/\//],
  [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /not a valid URL/],
  [{ DATABASE_ADMIN_URL: 'postgres://a@b/c' }, 'DATABASE_ADMIN_URL', /DATABASE_URL is not/],
  [{ DILIGENCE_ROLES: 'api,scheduler' }, 'DILIGENCE_ROLES', /only api and worker/],
  [{ BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES', /between/],
];

for (const [env, variable, message] of badValues) {
  test(`a bad ${variable} is refused with its name`, () => {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.variable === variable &&
        message.test(error.message) &&
        error.message.includes(variable),
    );
  });
}

test('TRUST_PROXY takes a hop count or a list of proxy addresses', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, [
    '10.0.0.0/8',
    '127.0.0.1',
  ]);
});

test('PUBLIC_URL must be https except on localhost, and then mail must go through SMTP', () => {
  assert.equal(loadConfig({}).publicUrl.origin, 'http://localhost:3000');
  assert.throws(
    () => loadConfig({ PUBLIC_URL: 'http://diligence.example.com' }),
    /PUBLIC_URL must use https/,
  );
  assert.throws(() => loadConfig({ PUBLIC_URL: 'https://diligence.example.com' }), /SMTP_URL must be set/);
  const production = loadConfig({
    PUBLIC_URL: 'https://diligence.example.com',
    SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
    MAIL_FROM: 'diligence@example.com',
  });
  assert.deepEqual(production.mail, {
    kind: 'smtp',
    url: 'smtps://mailer:secret@smtp.example.com:465',
    from: 'diligence@example.com',
  });
  assert.throws(() => loadConfig({ SMTP_URL: 'smtps://smtp.example.com' }), /MAIL_FROM/);
  assert.throws(
    () => loadConfig({ SESSION_IDLE_MINUTES: '1' }),
    /SESSION_IDLE_MINUTES must be between 5 and 240/,
  );
});
