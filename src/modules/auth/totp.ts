/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps, what every
 * authenticator app supports), each code accepted at most once.
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';

const STEP_SECONDS = 30;
// One step either side absorbs a phone clock that is a little off and a code typed near a step's end.
const TOLERANCE_SECONDS = STEP_SECONDS;
const CODE_FORMAT = /^[0-9]{6}$/;

/** The outcome of checking a code; `step` is to be stored so the same code cannot be used again. */
export type TotpVerification = { valid: true; step: number } | { valid: false };

/** A new random secret (160 bits, as RFC 4226 recommends), base32-encoded for authenticator apps. */
export function createTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app scans from a QR code. */
export function totpUri({
  secret,
  accountName,
  issuer = 'Diligence',
}: {
  secret: string;
  accountName: string;
  issuer?: string;
}): string {
  return generateURI({ issuer, label: accountName, secret, period: STEP_SECONDS, digits: 6 });
}

function toEpochSeconds(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

/**
 * Checks a code at `now`; refuses any step at or before `lastUsedStep`, so an observed or replayed
 * code (and any older one) is useless once a code has been accepted.
 */
export async function verifyTotp({
  secret,
  code,
  now,
  lastUsedStep,
}: {
  secret: string;
  code: string;
  now: Date;
  lastUsedStep: number | null;
}): Promise<TotpVerification> {
  if (!CODE_FORMAT.test(code)) return { valid: false };
  // verify() resolves to an object even for a wrong code: only `.valid` says whether it matched.
  const result = await verify({
    secret,
    token: code,
    epoch: toEpochSeconds(now),
    period: STEP_SECONDS,
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastUsedStep === null ? {} : { afterTimeStep: lastUsedStep }),
  });
  if (result.valid !== true || !('timeStep' in result)) return { valid: false };
  // The library already applies afterTimeStep; checking again keeps replay protection independent of it.
  if (lastUsedStep !== null && result.timeStep <= lastUsedStep) return { valid: false };
  return { valid: true, step: result.timeStep };
}

/** The code an authenticator app would show at `now` (for tests and fixtures). */
export function generateTotp(secret: string, now: Date): Promise<string> {
  return generate({ secret, epoch: toEpochSeconds(now), period: STEP_SECONDS });
}
