/** SQL for the country and industry risk tables and their history (tenant scope first). */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';
import type { CountryFlag, CountryLevelInput, IndustryLevelInput } from './risk-catalog.types.ts';

/** A country's row as the tables hold it, with who changed it last (null: installed by default). */
export type CountryLevelEntry = CountryLevelInput & { updatedAt: Date; updatedBy: string | null };
/** An industry's row as the tables hold it, with who changed it last (null: installed by default). */
export type IndustryLevelEntry = IndustryLevelInput & { updatedAt: Date; updatedBy: string | null };

/** Which table a change belongs to. */
export type RiskTableName = 'country' | 'industry';

/** One recorded change: the values before and after (null when absent), and why. */
export type TableChange = {
  id: string;
  table: RiskTableName;
  key: string;
  previous: unknown;
  current: unknown;
  reason: string;
  changedAt: Date;
  changedBy: string | null;
};

const COUNTRY_COLUMNS = ['country_code', 'level', 'flags', 'note', 'updated_at', 'updated_by'] as const;
const INDUSTRY_COLUMNS = ['industry_code', 'name', 'level', 'note', 'updated_at', 'updated_by'] as const;

type CountryRow = {
  country_code: string;
  level: CountryLevelInput['level'];
  flags: string[];
  note: string;
  updated_at: Date;
  updated_by: string | null;
};
type IndustryRow = {
  industry_code: string;
  name: string;
  level: IndustryLevelInput['level'];
  note: string;
  updated_at: Date;
  updated_by: string | null;
};

const toCountry = (row: CountryRow): CountryLevelEntry => ({
  countryCode: row.country_code,
  level: row.level,
  // The API and the defaults only ever write flags from COUNTRY_FLAGS.
  flags: row.flags as CountryFlag[],
  note: row.note,
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
});

const toIndustry = (row: IndustryRow): IndustryLevelEntry => ({
  industryCode: row.industry_code,
  name: row.name,
  level: row.level,
  note: row.note,
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
});

/** The tenant's country table, by code. */
export async function listCountryLevels(scope: TenantScope): Promise<CountryLevelEntry[]> {
  const rows = await scope
    .selectFrom('risk_country_levels')
    .select(COUNTRY_COLUMNS)
    .orderBy('country_code')
    .execute();
  return rows.map(toCountry);
}

/** One country's row, or null; `forUpdate` serialises writers of one country. */
export async function findCountryLevel(
  scope: TenantScope,
  countryCode: string,
  forUpdate = false,
): Promise<CountryLevelEntry | null> {
  let query = scope
    .selectFrom('risk_country_levels')
    .select(COUNTRY_COLUMNS)
    .where('country_code', '=', countryCode);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toCountry(row) : null;
}

/** Creates or replaces a country's row. */
export async function saveCountryLevel(
  scope: TenantScope,
  country: CountryLevelInput,
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    level: country.level,
    flags: [...country.flags],
    note: country.note,
    updated_at: at,
    updated_by: by,
  };
  await scope
    .insertInto('risk_country_levels', { country_code: country.countryCode, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'country_code']).doUpdateSet(values))
    .execute();
}

/** The tenant's industry table, by code. */
export async function listIndustryLevels(scope: TenantScope): Promise<IndustryLevelEntry[]> {
  const rows = await scope
    .selectFrom('risk_industry_levels')
    .select(INDUSTRY_COLUMNS)
    .orderBy('industry_code')
    .execute();
  return rows.map(toIndustry);
}

/** One industry's row, or null; `forUpdate` serialises writers of one industry. */
export async function findIndustryLevel(
  scope: TenantScope,
  industryCode: string,
  forUpdate = false,
): Promise<IndustryLevelEntry | null> {
  let query = scope
    .selectFrom('risk_industry_levels')
    .select(INDUSTRY_COLUMNS)
    .where('industry_code', '=', industryCode);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toIndustry(row) : null;
}

/** Creates or replaces an industry's row. */
export async function saveIndustryLevel(
  scope: TenantScope,
  industry: IndustryLevelInput,
  by: string,
  at: Date,
): Promise<void> {
  const values = {
    name: industry.name,
    level: industry.level,
    note: industry.note,
    updated_at: at,
    updated_by: by,
  };
  await scope
    .insertInto('risk_industry_levels', { industry_code: industry.industryCode, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'industry_code']).doUpdateSet(values))
    .execute();
}

/** Removes an industry's row; true when there was one. */
export async function deleteIndustryLevel(scope: TenantScope, industryCode: string): Promise<boolean> {
  const deleted = await scope
    .deleteFrom('risk_industry_levels')
    .where('industry_code', '=', industryCode)
    .returning('industry_code')
    .execute();
  return deleted.length > 0;
}

/** Records changes to the tables (history is insert-only). */
export async function insertTableChanges(
  scope: TenantScope,
  changes: Omit<TableChange, 'id'>[],
): Promise<void> {
  if (changes.length === 0) return;
  await scope
    .insertInto(
      'risk_table_changes',
      changes.map((change) => ({
        id: randomUUID(),
        table_name: change.table,
        key: change.key,
        previous: change.previous === null ? null : JSON.stringify(change.previous),
        current: change.current === null ? null : JSON.stringify(change.current),
        reason: change.reason,
        changed_at: change.changedAt,
        changed_by: change.changedBy,
      })),
    )
    .execute();
}

/** One key's changes, newest first. */
export async function listTableChanges(
  scope: TenantScope,
  table: RiskTableName,
  key: string,
  limit: number,
): Promise<TableChange[]> {
  const rows = await scope
    .selectFrom('risk_table_changes')
    .select(['id', 'table_name', 'key', 'previous', 'current', 'reason', 'changed_at', 'changed_by'])
    .where('table_name', '=', table)
    .where('key', '=', key)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    table: row.table_name,
    key: row.key,
    previous: row.previous,
    current: row.current,
    reason: row.reason,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
  }));
}

/** Inserts countries not yet in the table (nobody changed them); returns the codes inserted. */
export async function insertMissingCountryLevels(
  scope: TenantScope,
  countries: readonly CountryLevelInput[],
  at: Date,
): Promise<CountryLevelInput[]> {
  if (countries.length === 0) return [];
  const inserted = await scope
    .insertInto(
      'risk_country_levels',
      countries.map((country) => ({
        country_code: country.countryCode,
        level: country.level,
        flags: [...country.flags],
        note: country.note,
        updated_at: at,
        updated_by: null,
      })),
    )
    .onConflict((conflict) => conflict.columns(['tenant_id', 'country_code']).doNothing())
    .returning('country_code')
    .execute();
  const codes = new Set(inserted.map((row) => row.country_code));
  return countries.filter((country) => codes.has(country.countryCode));
}

/** Inserts industries not yet in the table (nobody changed them); returns those inserted. */
export async function insertMissingIndustryLevels(
  scope: TenantScope,
  industries: readonly IndustryLevelInput[],
  at: Date,
): Promise<IndustryLevelInput[]> {
  if (industries.length === 0) return [];
  const inserted = await scope
    .insertInto(
      'risk_industry_levels',
      industries.map((industry) => ({
        industry_code: industry.industryCode,
        name: industry.name,
        level: industry.level,
        note: industry.note,
        updated_at: at,
        updated_by: null,
      })),
    )
    .onConflict((conflict) => conflict.columns(['tenant_id', 'industry_code']).doNothing())
    .returning('industry_code')
    .execute();
  const codes = new Set(inserted.map((row) => row.industry_code));
  return industries.filter((industry) => codes.has(industry.industryCode));
}

/** Serialises writers of one key of one table until the transaction ends (a new key has no row to lock). */
export async function lockTableKey(scope: TenantScope, table: RiskTableName, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`risk-table:${scope.tenantId}:${table}:${key}`}))`.execute(
    scope.trx,
  );
}
