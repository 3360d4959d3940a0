// Bad input gets a clear RFC 9457 problem+json answer with a stable type, and changes nothing.
import { systemActor } from '../platform/actor.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { operatorActor, startTestServer, type TestServer } from '../../test/test-server.ts';

let server: TestServer;
let operator: Record<string, string>;
before(async () => {
  server = await startTestServer({ env: { BODY_LIMIT_BYTES: '2048' } });
  operator = server.headersFor(operatorActor());
});
after(async () => {
  await server.stop();
});

async function tenantCount(): Promise<number> {
  return (await server.modules.tenants.listTenants(systemActor('test'))).length;
}

async function post(payload: string, contentType = 'application/json') {
  return server.app.inject({
    method: 'POST',
    url: '/v1/tenants',
    headers: { ...operator, 'content-type': contentType },
    payload,
  });
}

function assertProblem(response: Awaited<ReturnType<typeof post>>, status: number, type: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json();
  assert.equal(body.type, type);
  assert.equal(body.status, status);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.equal(body.requestId, response.headers['x-request-id']);
  return body;
}

test('an unknown field is rejected, naming the field', async () => {
  const before = await tenantCount();
  const body = assertProblem(
    await post(JSON.stringify({ slug: 'acme', name: 'Acme', isAdmin: true })),
    400,
    '/problems/validation-failed',
  );
  assert.deepEqual(body.errors, [
    { location: 'body', pointer: '/isAdmin', message: 'Unknown field "isAdmin" is not allowed.' },
  ]);
  assert.equal(await tenantCount(), before);
});

test('a field of the wrong type is rejected with its location', async () => {
  const body = assertProblem(
    await post(JSON.stringify({ slug: 'acme', name: 42 })),
    400,
    '/problems/validation-failed',
  );
  assert.equal(body.errors[0].pointer, '/name');
});

test('a missing required field is rejected', async () => {
  const body = assertProblem(
    await post(JSON.stringify({ slug: 'acme' })),
    400,
    '/problems/validation-failed',
  );
  assert.deepEqual(
    body.errors.map((error: { pointer: string; message: string }) => [error.pointer, error.message]),
    [['/name', 'is required']],
  );
});

test('an oversized body is refused before it is parsed', async () => {
  const before = await tenantCount();
  assertProblem(
    await post(JSON.stringify({ slug: 'big', name: 'x'.repeat(5000) })),
    413,
    '/problems/payload-too-large',
  );
  assert.equal(await tenantCount(), before);
});

test('malformed JSON is refused', async () => {
  assertProblem(await post('{"slug": "acme", '), 400, '/problems/invalid-json');
});

test('a body that is not JSON is refused as an unsupported media type', async () => {
  assertProblem(
    await post('slug=acme&name=Acme', 'application/x-www-form-urlencoded'),
    415,
    '/problems/unsupported-media-type',
  );
});

test('an unknown path answers a problem, not an HTML page', async () => {
  const response = await server.app.inject({ method: 'GET', url: '/v1/nothing-here' });
  assertProblem(response, 404, '/problems/not-found');
});

test('a bad path parameter is a validation problem', async () => {
  const response = await server.app.inject({
    method: 'GET',
    url: '/v1/tenants/not-a-uuid',
    headers: operator,
  });
  assertProblem(response, 400, '/problems/validation-failed');
});

test('a duplicate slug is a conflict and the first tenant is kept', async () => {
  assert.equal((await post(JSON.stringify({ slug: 'twice', name: 'First' }))).statusCode, 201);
  const body = assertProblem(
    await post(JSON.stringify({ slug: 'twice', name: 'Second' })),
    409,
    '/problems/conflict',
  );
  assert.match(body.detail, /twice/);
  const kept = (await server.modules.tenants.listTenants(systemActor('test'))).filter(
    (tenant) => tenant.slug === 'twice',
  );
  assert.deepEqual(
    kept.map((tenant) => tenant.name),
    ['First'],
  );
});

test('an unexpected failure becomes a generic 500 without internals', async () => {
  const failing = await startTestServer({
    registerExtraRoutes: (app) => {
      app.get('/v1/test/explode', { config: { isPublic: true } }, async () => {
        throw new Error('secret internal detail: connection string postgres://user:pw@host');
      });
    },
  });
  try {
    const response = await failing.app.inject({ method: 'GET', url: '/v1/test/explode' });
    const body = assertProblem(response, 500, '/problems/internal-error');
    assert.doesNotMatch(response.body, /secret internal detail|postgres:\/\//);
    assert.match(body.detail, /request id/);
  } finally {
    await failing.stop();
  }
});
