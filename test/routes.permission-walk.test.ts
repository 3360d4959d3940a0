// Half-signed-in access: a route that forgets its permission, or a session that stopped after the password (or before enrolling a factor), must never reach tenant data.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { PERMISSIONS } from '../src/modules/access/index.ts';
import { SESSION_COOKIE } from '../src/modules/auth/index.ts';
import {
  createMember,
  createSessionClient,
  createTenant,
  type SessionClient,
  acceptInvitationAsNewPerson,
} from './sign-in-fixtures.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/**
 * The public routes, by hand. This list is the contract: a new public route fails this file until
 * someone adds it here on purpose. HEAD follows its GET.
 */
const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'POST /v1/auth/sign-in',
  'POST /v1/auth/account-setup',
  'POST /v1/auth/invitations/accept',
  'POST /v1/auth/passkey/options',
  'POST /v1/auth/passkey/sign-in',
]);

/** The only routes a session that owes its second factor may use. */
const COMPLETE_SIGN_IN_ROUTES = [
  'POST /v1/auth/second-factor',
  'POST /v1/auth/second-factor/passkey/options',
  'POST /v1/auth/second-factor/passkey',
];

/** The only routes a session that must enrol its first factor may use. */
const ENROL_ROUTES = [
  'POST /v1/account/factors/totp',
  'POST /v1/account/factors/totp/:factorId/confirm',
  'POST /v1/account/factors/passkeys/options',
  'POST /v1/account/factors/passkeys',
];

type Route = { method: string; url: string; key: string };
type RouteConfig = { isPublic?: boolean; permission?: string; requiresRecentSecondFactor?: boolean };

/**
 * Every registered route, from Fastify's own route tree. Fastify 5 exposes no route list, an
 * `onRoute` hook only sees routes added after it (and `registerExtraRoutes` runs after the
 * modules'), and `printRoutes({ includeMeta })` prints hooks but not `config`; so the tree gives
 * method and path, and the config is read from `request.routeOptions` when each route is called.
 * With `commonPrefix: false` each line is one path segment below its parent, four columns deeper.
 */
function listRoutes(tree: string): Route[] {
  const parents: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n').filter((text) => text.trim() !== '')) {
    // `│   └── /segment (GET, HEAD)`; a segment without methods is only a prefix of its children.
    const match = /^([│ ]*)[├└]── (\S+)(.*)$/.exec(line);
    const methods = match?.[3] === '' ? [] : /^ \(([A-Z, ]+)\)$/.exec(match?.[3] ?? '')?.[1]?.split(', ');
    assert.ok(match && methods, `unexpected line in the route tree: ${JSON.stringify(line)}`);
    const depth = match[1]!.length / 4;
    assert.ok(Number.isInteger(depth) && depth <= parents.length, `bad indentation: ${line}`);
    const path = (depth === 0 ? '' : parents[depth - 1]!) + match[2]!;
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of methods) {
      routes.push({ method, url: path, key: `${method} ${path}` });
    }
  }
  return routes;
}

/** The key under which a route's visibility is decided: HEAD is the GET route's twin. */
const contractKey = (route: Route) => (route.method === 'HEAD' ? `GET ${route.url}` : route.key);

/** The route's path with each parameter replaced by a fresh UUID. */
const fillParams = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID());

const hasBody = (method: string) => ['POST', 'PUT', 'PATCH'].includes(method);

async function callAnonymously(server: TestServer, route: Route): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: route.method as 'GET',
    url: fillParams(route.url),
    ...(hasBody(route.method) ? { payload: {} } : {}),
  });
}

async function callAs(client: SessionClient, route: Route): Promise<LightMyRequestResponse> {
  // The client parses every JSON answer, and a HEAD answer has no body: send those by hand.
  if (route.method === 'HEAD') {
    return server.app.inject({
      method: 'HEAD',
      url: fillParams(route.url),
      headers: { cookie: `${SESSION_COOKIE}=${client.token}` },
    });
  }
  return client.request(route.method, fillParams(route.url), hasBody(route.method) ? {} : undefined);
}

let server: TestServer;
let routes: Route[];
const configs = new Map<string, RouteConfig>();
const anonymous = new Map<string, LightMyRequestResponse>();

before(async () => {
  server = await startTestServer({
    // Lifecycle hooks bind to routes when the server gets ready, so this one sees every route.
    registerExtraRoutes: (app) => {
      app.addHook('onResponse', async (request) => {
        if (request.routeOptions.url === undefined) return;
        const { isPublic, permission, requiresRecentSecondFactor } = request.routeOptions.config;
        configs.set(`${request.method} ${request.routeOptions.url}`, {
          isPublic,
          permission,
          requiresRecentSecondFactor,
        });
      });
    },
  });
  routes = listRoutes(server.app.printRoutes({ commonPrefix: false }));
  for (const route of routes) anonymous.set(route.key, await callAnonymously(server, route));
});
after(async () => {
  await server.stop();
});

test('the route list is complete: it holds every route of the API description, and the hidden ones', () => {
  const keys = new Set(routes.map((route) => route.key));
  const document = server.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const described = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
  assert.ok(described.length >= 30, `only ${described.length} described operations`);
  for (const key of described) assert.ok(keys.has(key), `${key} is missing from the route list`);
  const undescribed = [...keys].filter((key) => !key.startsWith('HEAD ') && !described.includes(key));
  assert.deepEqual(undescribed.sort(), ['GET /metrics', 'GET /openapi.json']);
});

test('each call reached its route (not the not-found handler), so every route config was read', () => {
  for (const route of routes) assert.ok(configs.has(route.key), `${route.key} was not reached`);
});

test('every route is on the public list or names a permission from the catalog', () => {
  const catalog = new Set<string>(PERMISSIONS);
  for (const route of routes) {
    const config = configs.get(route.key)!;
    if (PUBLIC_ROUTES.has(contractKey(route))) {
      assert.equal(config.isPublic, true, `${route.key} is on the public list but not public`);
      assert.equal(config.permission, undefined, `${route.key} is public and also names a permission`);
      continue;
    }
    assert.notEqual(config.isPublic, true, `${route.key} is public but not on the public list`);
    assert.ok(
      config.permission !== undefined && catalog.has(config.permission),
      `${route.key} names no catalog permission (${config.permission})`,
    );
  }
});

test('every route on the public list exists', () => {
  const keys = new Set(routes.map((route) => route.key));
  for (const key of PUBLIC_ROUTES) assert.ok(keys.has(key), `${key} is not registered`);
});

test('the stage-only routes are exactly those that name the stage permissions', () => {
  const byPermission = (permission: string) =>
    routes
      .filter((route) => configs.get(route.key)?.permission === permission)
      .map((route) => route.key)
      .sort();
  assert.deepEqual(byPermission('auth:complete-sign-in'), [...COMPLETE_SIGN_IN_ROUTES].sort());
  assert.deepEqual(byPermission('auth:enrol-factor'), [...ENROL_ROUTES].sort());
});

test('without a session every private route answers 401 problem+json', () => {
  const privateRoutes = routes.filter((route) => !PUBLIC_ROUTES.has(contractKey(route)));
  assert.ok(privateRoutes.length >= 30);
  for (const route of privateRoutes) {
    const response = anonymous.get(route.key)!;
    assert.equal(response.statusCode, 401, `${route.key}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, route.key);
    if (route.method !== 'HEAD') assert.equal(response.json().type, '/problems/unauthenticated', route.key);
  }
});

/** Calls every private route with the client; the exempt ones must pass the guard, all others be refused. */
async function assertOnlyExemptRoutesPass(client: SessionClient, exempt: string[]): Promise<void> {
  for (const route of routes.filter((candidate) => !PUBLIC_ROUTES.has(contractKey(candidate)))) {
    const response = await callAs(client, route);
    if (exempt.includes(route.key)) {
      // `{}` bodies fail validation (400) or start a ceremony (200): either way the guard let it in.
      assert.ok(
        ![401, 403].includes(response.statusCode) && response.statusCode < 500,
        `${route.key} answered ${response.statusCode}: ${response.body}`,
      );
    } else {
      assert.ok([401, 403].includes(response.statusCode), `${route.key} answered ${response.statusCode}`);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/, route.key);
    }
  }
}

test('a session that passed only the password can do nothing but present its second factor', async () => {
  const tenantId = await createTenant(server);
  const member = await createMember(server, tenantId, ['tenant_admin']);
  const client = createSessionClient(server);
  const signedIn = await client.request('POST', '/v1/auth/sign-in', {
    email: member.email,
    password: member.password,
  });
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  assert.equal(signedIn.json().stage, 'second_factor');
  await assertOnlyExemptRoutesPass(client, COMPLETE_SIGN_IN_ROUTES);
});

test('a session that has not enrolled a factor can do nothing but enrol one', async () => {
  const client = await acceptInvitationAsNewPerson(server, await createTenant(server), ['tenant_admin']);
  await assertOnlyExemptRoutesPass(client, ENROL_ROUTES);
});
