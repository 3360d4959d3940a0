// The engine's worker pool: queries are answered in worker threads, a rebuild swaps the index
// without failing queries in flight, and an engine with no list refuses rather than answering "no hit".
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createEntity } from './importers/importer-helpers.ts';
import type { ListedEntity } from './list-entity.ts';
import { createScreeningEngine } from './screening-engine.ts';

function person(sourceId: string, name: string): ListedEntity {
  return { ...createEntity(sourceId, 'person', ['sanction']), names: [{ full: name, quality: 'primary' }] };
}

// Enough filler that a build takes a moment, so queries overlap it.
const filler = Array.from({ length: 3_000 }, (_, i) =>
  person(`filler-${i}`, `Person Number${i} Filler${i % 97}`),
);
let entities: ListedEntity[] = [...filler, person('first', 'Viktor Bout')];

const engine = createScreeningEngine({
  threads: 2,
  async *readSnapshot() {
    for (let i = 0; i < entities.length; i += 500) {
      yield entities.slice(i, i + 500).map((entity) => JSON.stringify({ l: 'test-list', e: entity }));
    }
  },
});
after(() => engine.close());

const options = { threshold: 0.85, limit: 5 };

test('an engine with no list loaded refuses to screen instead of answering "no hit"', async () => {
  await assert.rejects(engine.search([{ name: 'Viktor Bout' }], options), (error: Error) => {
    assert.match(error.message, /No sanctions or PEP list is loaded/);
    return true;
  });
});

test('workers answer queries, in order, from the loaded index', async () => {
  const state = await engine.reload();
  assert.equal(state.state, 'ready');
  assert.equal(state.entities, entities.length);
  const results = await engine.search([{ name: 'Nobody Atall' }, { name: 'Bout, Viktor' }], options);
  assert.equal(results.length, 2);
  assert.deepEqual(results[0], []);
  assert.equal(results[1]![0]?.sourceId, 'first');
});

test('a rebuild swaps to the new index while queries keep being answered', async () => {
  entities = [...filler, person('second', 'Dmitri Khoroshev')];
  let answered = 0;
  let isReloading = true;
  const reload = engine.reload().finally(() => {
    isReloading = false;
  });
  while (isReloading) {
    const [hits] = await engine.search([{ name: 'Viktor Bout' }], options);
    // Until the swap, the old index answers; nothing fails meanwhile.
    if (isReloading) assert.equal(hits![0]?.sourceId, 'first');
    answered++;
  }
  const state = await reload;
  assert.ok(answered > 0, 'queries were answered during the rebuild');
  assert.equal(state.generation, 2);
  const [oldName, newName] = await engine.search(
    [{ name: 'Viktor Bout' }, { name: 'Dmitry Khoroshev' }],
    options,
  );
  assert.deepEqual(oldName, []);
  assert.equal(newName![0]?.sourceId, 'second');
});

test('a batch larger than one task is split across workers and comes back in query order', async () => {
  const queries = Array.from({ length: 120 }, (_, i) => ({
    name: i % 2 === 0 ? 'Dmitri Khoroshev' : `Nobody${i} Else`,
  }));
  const results = await engine.search(queries, options);
  assert.equal(results.length, 120);
  results.forEach((hits, i) => assert.equal(hits.length > 0, i % 2 === 0, `query ${i}`));
});
