/**
 * Figures on the client book for the firm-wide risk assessment, from four aggregate queries: a
 * book of 100,000 clients costs no more round trips than a book of ten.
 *
 * A client's level is that of its latest evaluation, unless an officer's override is in force
 * (unrevoked, unexpired); a client overridden before any evaluation counts at the override's level
 * and as never evaluated. A review is due when the latest evaluation is older than the shortest
 * review interval among the client's services.
 */
import { sql } from 'kysely';
import type { TenantScope } from '../../platform/db/scopes.ts';

/** How many countries are listed by name; the rest are summed. */
export const TOP_COUNTRIES = 20;

/** The overview of one tenant's client book. */
export type BookOverview = {
  asOf: Date;
  clients: number;
  byLevel: { low: number; medium: number; high: number };
  neverEvaluated: number;
  overridden: number;
  peps: number;
  /** High-risk clients among those with a level (0 when none has one). */
  highRiskShare: number;
  reviewDue: number;
  byService: { code: string; clients: number }[];
  byCountry: { countryCode: string | null; clients: number }[];
  otherCountries: number;
  byClientType: { code: string; clients: number }[];
};

type Totals = {
  clients: number;
  low: number;
  medium: number;
  high: number;
  never_evaluated: number;
  overridden: number;
  peps: number;
  review_due: number;
};

async function countBook(scope: TenantScope, now: Date): Promise<Totals> {
  const tenant = scope.tenantId;
  const at = now.toISOString();
  const { rows } = await sql<Totals>`
    with latest as (
      select distinct on (client_id) client_id, level, evaluated_at,
             coalesce(facts ->> 'screening.pep' = 'true', false) as is_pep
      from risk_evaluations
      where tenant_id = ${tenant}
      order by client_id, evaluated_at desc, id desc
    ), in_force as (
      select distinct on (client_id) client_id, level
      from risk_overrides
      where tenant_id = ${tenant}
        and created_at <= ${at}::timestamptz
        and expires_at > ${at}::timestamptz
        and (revoked_at is null or revoked_at > ${at}::timestamptz)
      order by client_id, created_at desc, id desc
    ), intervals as (
      select p.client_id, min(s.review_interval_months) as months
      from risk_client_profiles p
      cross join lateral unnest(p.services) as chosen(code)
      join risk_services s on s.tenant_id = p.tenant_id and s.code = chosen.code
      where p.tenant_id = ${tenant}
      group by p.client_id
    ), book as (
      select coalesce(o.level, l.level) as level, l.evaluated_at, coalesce(l.is_pep, false) as is_pep,
             o.client_id is not null as is_overridden, i.months
      from risk_client_profiles p
      left join latest l on l.client_id = p.client_id
      left join in_force o on o.client_id = p.client_id
      left join intervals i on i.client_id = p.client_id
      where p.tenant_id = ${tenant}
    )
    select count(*)::int as clients,
           count(*) filter (where level = 'low')::int as low,
           count(*) filter (where level = 'medium')::int as medium,
           count(*) filter (where level = 'high')::int as high,
           count(*) filter (where evaluated_at is null)::int as never_evaluated,
           count(*) filter (where is_overridden)::int as overridden,
           count(*) filter (where is_pep)::int as peps,
           count(*) filter (
             where evaluated_at + make_interval(months => months) <= ${at}::timestamptz
           )::int as review_due
    from book`.execute(scope.trx);
  return rows[0]!;
}

async function countByService(scope: TenantScope) {
  const { rows } = await sql<{ code: string; clients: number }>`
    select chosen.code, count(*)::int as clients
    from risk_client_profiles p
    -- A profile naming a service twice counts once, without a costly count(distinct).
    cross join lateral (select distinct code from unnest(p.services) as code) as chosen(code)
    where p.tenant_id = ${scope.tenantId}
    group by chosen.code
    order by clients desc, chosen.code`.execute(scope.trx);
  return rows;
}

async function countByCountry(scope: TenantScope) {
  const { rows } = await sql<{ countryCode: string | null; clients: number }>`
    select country_code as "countryCode", count(*)::int as clients
    from risk_client_profiles
    where tenant_id = ${scope.tenantId}
    group by country_code
    order by clients desc, country_code nulls last`.execute(scope.trx);
  return rows;
}

async function countByClientType(scope: TenantScope) {
  const { rows } = await sql<{ code: string; clients: number }>`
    select client_type as code, count(*)::int as clients
    from risk_client_profiles
    where tenant_id = ${scope.tenantId}
    group by client_type
    order by clients desc, client_type`.execute(scope.trx);
  return rows;
}

/** Computes the overview of the tenant's client book as of `now`. */
export async function computeBookOverview(scope: TenantScope, now: Date): Promise<BookOverview> {
  const totals = await countBook(scope, now);
  const countries = await countByCountry(scope);
  const rated = totals.low + totals.medium + totals.high;
  return {
    asOf: now,
    clients: totals.clients,
    byLevel: { low: totals.low, medium: totals.medium, high: totals.high },
    neverEvaluated: totals.never_evaluated,
    overridden: totals.overridden,
    peps: totals.peps,
    highRiskShare: rated === 0 ? 0 : totals.high / rated,
    reviewDue: totals.review_due,
    byService: await countByService(scope),
    byCountry: countries.slice(0, TOP_COUNTRIES),
    otherCountries: countries.slice(TOP_COUNTRIES).reduce((sum, row) => sum + row.clients, 0),
    byClientType: await countByClientType(scope),
  };
}
