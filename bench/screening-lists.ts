/**
 * Loads every list in ../shared/data/sanctions straight into the importers (no database), for the
 * screening benchmark and evaluation. Returns null when the shared data folder is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseListFiles } from '../src/modules/screening/importers/index.ts';
import type { ListFile } from '../src/modules/screening/list-entity.ts';
import { findListSource } from '../src/modules/screening/list-sources.ts';
import type { IndexedEntity } from '../src/modules/screening/match-index.ts';

/** The shared data folder beside the checkout. */
export const SHARED_DATA = path.resolve(fileURLToPath(new URL('../../shared/data', import.meta.url)));

const SANCTIONS = path.join(SHARED_DATA, 'sanctions');

/** The files of each list, newest snapshot of each. */
export const LIST_FILES: Record<string, string[]> = {
  'ofac-sdn': ['ofac/sdn_2024-05-03.csv', 'ofac/alt_2026-06.csv', 'ofac/add_2026-06.csv'],
  'ofac-consolidated': ['ofac/consolidated_non_sdn_2026-01-08.xml'],
  'un-sc': ['un/consolidated_2026-02-27.xml'],
  'eu-fsf': ['eu_derived/pakote_all_2026-01-28.json'],
  'uk-sanctions-list': ['uk/uk_sanctions_list_2026-04_derived'],
  'opensanctions-ua-war-sanctions': ['opensanctions/ua_war_sanctions/targets.simple.csv'],
  'opensanctions-interpol-red-notices': ['opensanctions/interpol_red_notices/targets.simple.csv'],
  'opensanctions-us-congress': ['opensanctions/us_congress_peps/us_congress_senzing.json'],
};

function readFiles(relative: string[]): ListFile[] {
  const files: ListFile[] = [];
  for (const item of relative) {
    const full = path.join(SANCTIONS, item);
    const entries = item.endsWith('_derived')
      ? readdirSync(full).map((name) => path.join(full, name))
      : [full];
    for (const file of entries) files.push({ name: path.basename(file), bytes: readFileSync(file) });
  }
  return files;
}

/** Every list parsed into indexable entities, with per-list counts; null without ../shared/data. */
export function loadSharedLists(
  only?: string[],
): { entities: IndexedEntity[]; counts: Record<string, number> } | null {
  if (!existsSync(SANCTIONS)) return null;
  const entities: IndexedEntity[] = [];
  const counts: Record<string, number> = {};
  for (const [listId, relative] of Object.entries(LIST_FILES)) {
    if (only && !only.includes(listId)) continue;
    const source = findListSource(listId)!;
    const parsed = parseListFiles(source.format, readFiles(relative), {
      defaultTopics: source.defaultTopics,
    });
    counts[listId] = parsed.entities.length;
    for (const entity of parsed.entities) entities.push({ listId, entity });
  }
  return { entities, counts };
}
