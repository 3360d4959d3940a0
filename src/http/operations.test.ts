// Operations endpoints and transport hygiene: health, readiness, metrics, the OpenAPI document,
// security headers and request ids; request bodies never reach the log.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { startDiligence, type Diligence } from '../main.ts';
import { createTestKeys } from '../../test/test-server.ts';
import type { Actor } from '../platform/actor.ts';
import { createLogger } from '../platform/logger.ts';
import { createTestDatabase } from '../../test/test-database.ts';

let instance: Diligence;
const logLines: string[] = [];

before(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({ LOG_LEVEL: 'info' });
  const operator: Actor = {
    kind: 'operator',
    id: randomUUID(),
    tenantId: null,
    permissions: new Set(['tenants:create']),
    secondFactorAt: null,
    roles: new Set(['operator']),
    teams: new Set(),
  };
  instance = await startDiligence(config, {
    logger: createLogger('info', sink),
    database: await createTestDatabase(),
    keys: await createTestKeys(),
    listen: false,
    authenticate: async (request) => (request.headers['x-test-operator'] === 'yes' ? operator : null),
  });
});
after(async () => {
  await instance.stop();
});

test('healthz and readyz answer 200 when the database is current', async () => {
  const health = await instance.server!.inject({ method: 'GET', url: '/healthz' });
  assert.deepEqual(health.json(), { status: 'ok' });
  const ready = await instance.server!.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready', checks: { database: true, migrations: true } });
});

test('readyz answers 503 when a migration is pending', async () => {
  await instance.database.adminPool.query(
    'delete from schema_migrations where version = (select max(version) from schema_migrations)',
  );
  try {
    const ready = await instance.server!.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json().checks, { database: true, migrations: false });
  } finally {
    const { readMigrationFiles } = await import('../platform/db/migrator.ts');
    const last = (await readMigrationFiles()).at(-1)!;
    await instance.database.adminPool.query(
      'insert into schema_migrations (version, name, checksum) values ($1, $2, $3)',
      [last.version, last.name, last.checksum],
    );
  }
});

test('metrics are exposed in Prometheus format with route patterns as labels', async () => {
  await instance.server!.inject({ method: 'GET', url: '/healthz' });
  const metrics = await instance.server!.inject({ method: 'GET', url: '/metrics' });
  assert.equal(metrics.statusCode, 200);
  assert.match(
    metrics.body,
    /diligence_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} \d+/,
  );
  assert.match(metrics.body, /process_cpu_user_seconds_total/);
});

test('the OpenAPI 3.1 document describes the routes and their schemas', async () => {
  const response = await instance.server!.inject({ method: 'GET', url: '/openapi.json' });
  const document = response.json();
  assert.equal(document.openapi, '3.1.0');
  const create = document.paths['/v1/tenants'].post;
  assert.equal(create.requestBody.content['application/json'].schema.additionalProperties, false);
  assert.ok(document.paths['/v1/audit/entries'].get);
  assert.equal(
    document.paths['/metrics'],
    undefined,
    'operational endpoints stay out of the API description',
  );
});

test('responses carry strict security headers and no caching', async () => {
  const response = await instance.server!.inject({ method: 'GET', url: '/healthz' });
  const csp = String(response.headers['content-security-policy']);
  for (const directive of [
    "default-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ]) {
    assert.ok(csp.includes(directive), `CSP has ${directive}`);
  }
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(String(response.headers['strict-transport-security']), /max-age=31536000/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['x-frame-options'], 'DENY');
  assert.equal(response.headers['cache-control'], 'no-store');
});

test('request ids: a well-formed caller id is kept, anything else is replaced', async () => {
  const kept = await instance.server!.inject({
    method: 'GET',
    url: '/healthz',
    headers: { 'x-request-id': 'trace-12345678' },
  });
  assert.equal(kept.headers['x-request-id'], 'trace-12345678');
  const replaced = await instance.server!.inject({
    method: 'GET',
    url: '/healthz',
    headers: { 'x-request-id': 'bad id <script>' },
  });
  assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('logs carry the request id but never request bodies or query strings', async () => {
  const marker = 'Jane-Doe-1970-01-01-passport-X1234567';
  // Authenticated, so the body is read, parsed and fails validation: every stage that might log it.
  const response = await instance.server!.inject({
    method: 'POST',
    url: `/v1/tenants?search=${marker}`,
    headers: { 'x-test-operator': 'yes' },
    payload: { slug: 'x', name: marker, unexpected: marker },
  });
  assert.equal(response.statusCode, 400);
  const log = logLines.join('');
  assert.ok(
    log.includes(`"requestId":"${response.headers['x-request-id']}"`),
    'log lines carry the request id',
  );
  assert.ok(!log.includes(marker), 'personal values must not be logged');
});

test('database errors are logged without the row values PostgreSQL puts in them', () => {
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }),
  );
  const error = Object.assign(new Error('new row violates check constraint'), {
    code: '23514',
    detail: 'Failing row contains (Jane Doe, 1970-01-01).',
    where: 'SQL statement "insert ... Jane Doe"',
  });
  logger.error({ err: error }, 'write failed');
  assert.match(lines.join(''), /23514/);
  assert.doesNotMatch(lines.join(''), /Jane Doe/);
});
