/** The time, behind an interface so tests can move it (session expiry, TOTP steps, lockouts). */

/** A source of the current time. */
export type Clock = { now(): Date };

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
