/**
 * Shared by the importer tests: where the real list files are (../shared/data/sanctions beside the
 * checkout, or SANCTIONS_DATA_DIR), the skip message when they are absent, and an entry lookup.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ListedEntity, ParsedList } from '../list-entity.ts';

/** The folder of real sanctions list snapshots. */
export const DATA_DIR =
  process.env.SANCTIONS_DATA_DIR ?? path.resolve(import.meta.dirname, '../../../../../shared/data/sanctions');

/** Why real-list tests skip on a machine without the snapshots. */
export const SKIP = `${DATA_DIR} not present: real-list importer tests skipped`;

/** Whether the real list snapshots are present. */
// eslint-disable-next-line security/detect-non-literal-fs-filename -- the snapshot folder, fixed above
export const hasData = existsSync(DATA_DIR);

/** The entry with this source id; fails the test when it is missing. */
export function entry(list: ParsedList, sourceId: string): ListedEntity {
  const found = list.entities.find((entity) => entity.sourceId === sourceId);
  assert.ok(found, `entry ${sourceId} is missing`);
  return found;
}
