/**
 * The country and industry risk tables. Every change is kept — the values before and after, the
 * reason, who and when — and audited in the same transaction, so the level a past decision used
 * can always be shown; a change that changes nothing records nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../../platform/actor.ts';
import { withTenant, type TenantScope } from '../../platform/db/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import type { CountryLevelInput, IndustryLevelInput } from './risk-catalog.types.ts';
import { auditActor, requireTenant, type RiskDeps } from './risk-deps.ts';
import type { RiskLevel } from './risk-model.schema.ts';
import * as repo from './risk-tables.repo.ts';
import { COUNTRY_FLAGS } from './risk-variables.ts';

/** The country and industry tables service. */
export type RiskTablesService = ReturnType<typeof createRiskTablesService>;

/** The most history entries one request returns. */
export const HISTORY_LIMIT = 100;

const countryValue = ({ level, flags, note }: CountryLevelInput) => ({
  level,
  // In list order, so that the same flags given in another order are no change.
  flags: COUNTRY_FLAGS.filter((flag) => flags.includes(flag)),
  note,
});
const industryValue = ({ name, level, note }: IndustryLevelInput) => ({ name, level, note });

/** Builds the service. */
export function createRiskTablesService({ db, audit, clock }: RiskDeps) {
  const inTenant = <T>(actor: Actor, work: (scope: TenantScope) => Promise<T>) =>
    withTenant(db, requireTenant(actor), work);

  async function recordChange(
    scope: TenantScope,
    actor: Actor,
    change: {
      table: repo.RiskTableName;
      key: string;
      previous: { level: RiskLevel } | null;
      current: { level: RiskLevel } | null;
      reason: string;
      at: Date;
    },
  ): Promise<void> {
    const { table, key, previous, current, reason, at } = change;
    await repo.insertTableChanges(scope, [
      { table, key, previous, current, reason, changedAt: at, changedBy: actor.id },
    ]);
    await audit.record(scope, [
      {
        action: table === 'country' ? 'risk.country_level_changed' : 'risk.industry_level_changed',
        actor: auditActor(actor),
        outcome: 'success',
        target: { type: `risk_${table}`, id: key },
        details: { code: key, previousLevel: previous?.level ?? null, level: current?.level ?? null },
      },
    ]);
  }

  return {
    listCountryLevels: (actor: Actor) => inTenant(actor, (scope) => repo.listCountryLevels(scope)),

    /** Sets a country's level, flags and note, with the reason for the change. */
    async setCountryLevel(actor: Actor, input: CountryLevelInput, reason: string) {
      return inTenant(actor, async (scope) => {
        await repo.lockTableKey(scope, 'country', input.countryCode);
        const existing = await repo.findCountryLevel(scope, input.countryCode);
        const previous = existing ? countryValue(existing) : null;
        const current = countryValue(input);
        if (existing && isDeepStrictEqual(previous, current)) return { ...existing, isChanged: false };
        const at = clock.now();
        await repo.saveCountryLevel(scope, { countryCode: input.countryCode, ...current }, actor.id, at);
        await recordChange(scope, actor, {
          table: 'country',
          key: input.countryCode,
          previous,
          current,
          reason,
          at,
        });
        return {
          countryCode: input.countryCode,
          ...current,
          updatedAt: at,
          updatedBy: actor.id,
          isChanged: true,
        };
      });
    },

    countryHistory: (actor: Actor, countryCode: string, limit = HISTORY_LIMIT) =>
      inTenant(actor, (scope) => repo.listTableChanges(scope, 'country', countryCode, limit)),

    listIndustryLevels: (actor: Actor) => inTenant(actor, (scope) => repo.listIndustryLevels(scope)),

    /** Sets an industry's name, level and note, with the reason for the change. */
    async setIndustryLevel(actor: Actor, input: IndustryLevelInput, reason: string) {
      return inTenant(actor, async (scope) => {
        await repo.lockTableKey(scope, 'industry', input.industryCode);
        const existing = await repo.findIndustryLevel(scope, input.industryCode);
        const previous = existing ? industryValue(existing) : null;
        const current = industryValue(input);
        if (existing && isDeepStrictEqual(previous, current)) return { ...existing, isChanged: false };
        const at = clock.now();
        await repo.saveIndustryLevel(scope, { industryCode: input.industryCode, ...current }, actor.id, at);
        await recordChange(scope, actor, {
          table: 'industry',
          key: input.industryCode,
          previous,
          current,
          reason,
          at,
        });
        return {
          industryCode: input.industryCode,
          ...current,
          updatedAt: at,
          updatedBy: actor.id,
          isChanged: true,
        };
      });
    },

    /** Takes an industry out of the table (clients in it then have no industry level), with the reason. */
    async removeIndustryLevel(actor: Actor, industryCode: string, reason: string) {
      return inTenant(actor, async (scope) => {
        await repo.lockTableKey(scope, 'industry', industryCode);
        const existing = await repo.findIndustryLevel(scope, industryCode);
        if (!existing || !(await repo.deleteIndustryLevel(scope, industryCode))) {
          throw new AppError('not_found', `The industry '${industryCode}' is not in your industry table.`);
        }
        const previous = industryValue(existing);
        await recordChange(scope, actor, {
          table: 'industry',
          key: industryCode,
          previous,
          current: null,
          reason,
          at: clock.now(),
        });
      });
    },

    industryHistory: (actor: Actor, industryCode: string, limit = HISTORY_LIMIT) =>
      inTenant(actor, (scope) => repo.listTableChanges(scope, 'industry', industryCode, limit)),
  };
}
