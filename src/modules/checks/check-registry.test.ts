// The registry: a tenant's configuration naming an unknown provider is refused with a clear message,
// providers come back in one stable order whatever the configuration's order, and kinds without a
// provider are listed so the UI can say "no provider configured".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../platform/errors.ts';
import { decideOutcome, type CheckKind, type CheckProvider } from './check-provider.ts';
import { createCheckRegistry } from './check-registry.ts';

function fakeProvider(id: string, kind: CheckKind, overrides: Partial<CheckProvider> = {}): CheckProvider {
  const subject = kind === 'company_registry' ? 'entity' : 'person';
  return {
    id,
    version: '1',
    kind,
    isLocal: true,
    appliesTo: (input) => kind === 'adverse_media' || input.kind === subject,
    run: async () => decideOutcome([], true),
    ...overrides,
  };
}

const media = fakeProvider('media-watch', 'adverse_media', {
  isLocal: false,
  describeSettingsProblem: (settings) =>
    typeof settings === 'object' && settings !== null && 'endpoint' in settings
      ? undefined
      : 'endpoint is required.',
});
const documentB = fakeProvider('doc-b', 'identity_document');
const documentA = fakeProvider('doc-a', 'identity_document');
const registryCheck = fakeProvider('registry-check', 'company_registry');
const registry = createCheckRegistry([media, documentB, registryCheck, documentA]);
const ids = (providers: CheckProvider[]) => providers.map((provider) => provider.id);

function assertRefused(raw: unknown, pattern: RegExp): void {
  assert.throws(
    () => registry.parseConfig(raw),
    (error: unknown) =>
      error instanceof AppError && error.code === 'validation_failed' && pattern.test(error.message),
    JSON.stringify(raw),
  );
}

test('an unknown provider id is refused, named, with the installed ones listed', () => {
  assertRefused(
    { enabled: ['doc-a', 'credit-magic'] },
    /^Unknown check provider "credit-magic"; installed providers: doc-a, doc-b, registry-check, media-watch\.$/,
  );
  assertRefused({ enabled: [], settings: { 'credit-magic': {} } }, /Unknown check provider "credit-magic"/);
});

test('malformed configurations are refused with what is wrong', () => {
  assertRefused(null, /must be an object/);
  assertRefused({ enabled: 'doc-a' }, /"enabled" must be a list/);
  assertRefused({ enabled: ['doc-a', 'doc-a'] }, /"doc-a" is listed twice/);
  assertRefused({ enabled: [42] }, /only provider ids/);
  assertRefused({ enabled: [], extra: true }, /Unknown check configuration field "extra"/);
  assertRefused({ enabled: [], settings: { 'doc-a': { x: 1 } } }, /"doc-a" takes no settings/);
  assertRefused({ enabled: ['media-watch'], settings: { 'media-watch': {} } }, /endpoint is required/);
  assertRefused({ enabled: ['x'.repeat(5000)] }, /"x{64}…"/);
});

test('a valid configuration comes back in the stable order, settings kept', () => {
  const config = registry.parseConfig({
    enabled: ['media-watch', 'registry-check', 'doc-b', 'doc-a'],
    settings: { 'media-watch': { endpoint: 'https://media.example' } },
  });
  assert.deepEqual(config.enabled, ['doc-a', 'doc-b', 'registry-check', 'media-watch']);
  assert.deepEqual(config.settings, { 'media-watch': { endpoint: 'https://media.example' } });
});

test('providersFor keeps kind order then id, whatever the configuration order, and filters by subject', () => {
  const config = { enabled: ['media-watch', 'registry-check', 'doc-b', 'doc-a'] };
  assert.deepEqual(ids(registry.providersFor(config, { kind: 'person' })), ['doc-a', 'doc-b', 'media-watch']);
  assert.deepEqual(ids(registry.providersFor(config, { kind: 'entity' })), ['registry-check', 'media-watch']);
  const reversed = { enabled: [...config.enabled].reverse() };
  assert.deepEqual(
    registry.providersFor(reversed, { kind: 'person' }),
    registry.providersFor(config, { kind: 'person' }),
  );
  assert.deepEqual(ids(registry.providersFor({ enabled: ['doc-b'] }, { kind: 'person' })), ['doc-b']);
});

test('a stored configuration naming a provider removed since is refused, not skipped', () => {
  assert.throws(
    () => registry.providersFor({ enabled: ['doc-a', 'retired-check'] }, { kind: 'person' }),
    /Unknown check provider "retired-check"/,
  );
});

test('the default configuration enables only the providers that keep data on this machine', () => {
  assert.deepEqual(registry.defaultConfig(), { enabled: ['doc-a', 'doc-b', 'registry-check'] });
});

test('every kind is described, including kinds with no provider installed or enabled', () => {
  assert.deepEqual(registry.describeKinds({ enabled: ['doc-a'] }), [
    { kind: 'identity_document', availableProviderIds: ['doc-a', 'doc-b'], enabledProviderIds: ['doc-a'] },
    { kind: 'company_registry', availableProviderIds: ['registry-check'], enabledProviderIds: [] },
    { kind: 'credit', availableProviderIds: [], enabledProviderIds: [] },
    { kind: 'adverse_media', availableProviderIds: ['media-watch'], enabledProviderIds: [] },
  ]);
  assert.deepEqual(
    registry.listProviders().map((provider) => [provider.id, provider.kind, provider.isLocal]),
    [
      ['doc-a', 'identity_document', true],
      ['doc-b', 'identity_document', true],
      ['registry-check', 'company_registry', true],
      ['media-watch', 'adverse_media', false],
    ],
  );
});

test('getProvider finds an installed provider and throws for another', () => {
  assert.equal(registry.getProvider('doc-a'), documentA);
  assert.throws(
    () => registry.getProvider('nope'),
    (error: unknown) => error instanceof AppError && error.code === 'not_found',
  );
});

test('a provider list the code got wrong is refused at start', () => {
  assert.throws(() => createCheckRegistry([documentA, fakeProvider('doc-a', 'credit')]), /registered twice/);
  assert.throws(() => createCheckRegistry([fakeProvider('Doc_A', 'credit')]), /not kebab-case/);
  assert.throws(() => createCheckRegistry([fakeProvider('doc--a', 'credit')]), /not kebab-case/);
  assert.throws(() => createCheckRegistry([fakeProvider('doc-a', 'credit', { version: ' ' })]), /no version/);
  assert.throws(
    () => createCheckRegistry([fakeProvider('doc-a', 'telepathy' as CheckKind)]),
    /no known kind/,
  );
});
