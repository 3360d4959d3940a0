/**
 * Proves the import boundaries in eslint.config.js still bite: a lint config that silently stops
 * matching lets platform code reach into modules, or one module read another's tables.
 *
 * The boundaries plugin classifies an import by the file it resolves to, so the targets exist as
 * tiny fixtures under test/fixtures/lint/ (a miniature src/ tree); the importing files are virtual.
 * ESLint runs the real config with that folder as its root.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint, type Linter } from 'eslint';

const repositoryRoot = path.resolve(import.meta.dirname, '..');
const fixtureRoot = path.join(import.meta.dirname, 'fixtures', 'lint');

const eslint = new ESLint({
  cwd: fixtureRoot,
  overrideConfigFile: path.join(repositoryRoot, 'eslint.config.js'),
  overrideConfig: { settings: { 'boundaries/root-path': fixtureRoot } },
});

const MODULE_INDEX_ONLY = 'Import another module only through its index.ts.';
const NO_MODULES_BELOW = 'platform/ and http/ never import from modules/.';

/** Lints `code` as if it were the file at `filePath` (relative to the fixture root). */
const lintSource = async (filePath: string, code: string): Promise<Linter.LintMessage[]> => {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  assert.ok(result, `no lint result for ${filePath}`);
  return result.messages;
};

/**
 * Lints one import of `specifier` from `filePath`. The target must exist: an import the plugin
 * cannot resolve is never checked, so a "passes" assertion on a missing fixture would be vacuous.
 */
const lintImport = async (filePath: string, specifier: string): Promise<Linter.LintMessage[]> => {
  const target = path.resolve(fixtureRoot, path.dirname(filePath), specifier);
  assert.ok(existsSync(target), `fixture missing: ${path.relative(fixtureRoot, target)}`);
  return lintSource(filePath, `import * as target from '${specifier}';\nexport const used = target;\n`);
};

/** The messages that come from one rule, reduced to what the assertions compare. */
const messagesOf = (messages: Linter.LintMessage[], ruleId: string) =>
  messages
    .filter((message) => message.ruleId === ruleId)
    .map(({ severity, message }) => ({ severity, message }));

const assertBoundaryError = (messages: Linter.LintMessage[], expected: string) => {
  assert.deepEqual(messagesOf(messages, 'boundaries/dependencies'), [{ severity: 2, message: expected }]);
};

const assertClean = (messages: Linter.LintMessage[]) => {
  assert.deepEqual(
    messages.map(({ ruleId, message }) => ({ ruleId, message })),
    [],
  );
};

test('platform importing a module file is an error', async () => {
  assertBoundaryError(
    await lintImport('src/platform/db/x.ts', '../../modules/cases/cases.repo.ts'),
    NO_MODULES_BELOW,
  );
});

test('platform importing a module index is an error', async () => {
  assertBoundaryError(
    await lintImport('src/platform/db/x.ts', '../../modules/cases/index.ts'),
    NO_MODULES_BELOW,
  );
});

test('http importing a module index is an error', async () => {
  assertBoundaryError(await lintImport('src/http/server.ts', '../modules/cases/index.ts'), NO_MODULES_BELOW);
});

test('http importing platform passes', async () => {
  assertClean(await lintImport('src/http/server.ts', '../platform/clock.ts'));
});

test("a module importing another module's repository is an error", async () => {
  assertBoundaryError(
    await lintImport('src/modules/cases/cases.service.ts', '../risk/risk.repo.ts'),
    MODULE_INDEX_ONLY,
  );
});

test("a module subfolder importing another module's repository is an error", async () => {
  assertBoundaryError(
    await lintImport('src/modules/cases/use-cases/close-case.ts', '../../risk/risk.repo.ts'),
    MODULE_INDEX_ONLY,
  );
});

test('a type-only import of another module’s repository is an error too', async () => {
  const messages = await lintSource(
    'src/modules/cases/cases.service.ts',
    "import type { RiskRow } from '../risk/risk.repo.ts';\nexport type Row = RiskRow;\n",
  );
  assertBoundaryError(messages, MODULE_INDEX_ONLY);
});

test("re-exporting or dynamically importing another module's repository is an error", async () => {
  const filePath = 'src/modules/cases/cases.service.ts';
  assertBoundaryError(
    await lintSource(filePath, "export * from '../risk/risk.repo.ts';\n"),
    MODULE_INDEX_ONLY,
  );
  assertBoundaryError(
    await lintSource(filePath, "export const loadRisk = () => import('../risk/risk.repo.ts');\n"),
    MODULE_INDEX_ONLY,
  );
});

test("a module importing another module's index.ts passes", async () => {
  assertClean(await lintImport('src/modules/cases/cases.service.ts', '../risk/index.ts'));
});

test('a module importing platform passes', async () => {
  assertClean(await lintImport('src/modules/cases/cases.service.ts', '../../platform/clock.ts'));
});

test('imports inside one module pass, subfolders included', async () => {
  assertClean(await lintImport('src/modules/cases/cases.service.ts', './cases.repo.ts'));
  assertClean(await lintImport('src/modules/cases/cases.service.ts', './use-cases/open-case.ts'));
  assertClean(await lintImport('src/modules/cases/use-cases/close-case.ts', '../cases.repo.ts'));
  assertClean(await lintImport('src/modules/cases/use-cases/close-case.ts', './open-case.ts'));
});

test('config, composition, main and the CLI may import module index files only', async () => {
  for (const filePath of ['src/config.ts', 'src/composition.ts', 'src/main.ts', 'src/cli/serve.ts']) {
    const prefix = filePath.startsWith('src/cli/') ? '../' : './';
    assertBoundaryError(await lintImport(filePath, `${prefix}modules/risk/risk.repo.ts`), MODULE_INDEX_ONLY);
    assertClean(await lintImport(filePath, `${prefix}modules/risk/index.ts`));
  }
});

test('console.log in src/platform is an error', async () => {
  const messages = await lintSource('src/platform/db/x.ts', "console.log('connected');\n");
  assert.deepEqual(
    messages.map(({ ruleId, severity }) => ({ ruleId, severity })),
    [{ ruleId: 'no-console', severity: 2 }],
  );
});

test('console.log in src/cli passes', async () => {
  assertClean(await lintSource('src/cli/serve.ts', "console.log('listening');\n"));
});
