/**
 * The password rules of NIST SP 800-63B: a minimum length, a generous maximum, no composition rules,
 * and no password that is known from breaches or derived from the account's own email address.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

/** Fewest characters (Unicode code points after NFKC normalisation) a password may have. */
export const MIN_PASSWORD_LENGTH = 12;

/** Most characters a password may have; NIST asks verifiers to accept at least 64, we accept 128. */
export const MAX_PASSWORD_LENGTH = 128;

/** Why a password was refused; `message` is written for the person choosing it. */
export type PasswordRefusal = {
  ok: false;
  reason: 'too_short' | 'too_long' | 'common' | 'contains_email';
  message: string;
};

/** The verdict on a new password. */
export type PasswordCheck = { ok: true } | PasswordRefusal;

// No normalisation shrinks text by more than a few code points to one, so input this long is
// refused before spending time normalising it (the request schema should bound it long before).
const MAX_RAW_UTF16_LENGTH = MAX_PASSWORD_LENGTH * 16;

// Only entries at least as long as the minimum can ever match a password that passed the length
// check (lowercasing never removes code points), so the set keeps a few hundred of ~49k entries.
let breachedPasswords: ReadonlySet<string> | undefined;

function getBreachedPasswords(): ReadonlySet<string> {
  breachedPasswords ??= new Set(
    dictionary['passwords-common']
      .map((entry) => entry.normalize('NFKC').toLowerCase())
      .filter((entry) => countCodePoints(entry) >= MIN_PASSWORD_LENGTH),
  );
  return breachedPasswords;
}

function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function refuse(reason: PasswordRefusal['reason'], message: string): PasswordRefusal {
  return { ok: false, reason, message };
}

function isDerivedFromEmail(lowered: string, email: string | undefined): boolean {
  if (email === undefined) return false;
  const address = email.trim().normalize('NFKC').toLowerCase();
  if (address === '') return false;
  const at = address.lastIndexOf('@');
  const localPart = at > 0 ? address.slice(0, at) : address;
  return lowered === localPart || lowered.includes(address);
}

/** Checks a new password against the policy; `context.email` is the account's address, if known. */
export function checkPassword(password: string, context: { email?: string } = {}): PasswordCheck {
  const tooLong = refuse(
    'too_long',
    `Please use at most ${MAX_PASSWORD_LENGTH} characters. A long passphrase is good, but this one is longer than we can accept.`,
  );
  if (password.length > MAX_RAW_UTF16_LENGTH) return tooLong;

  const normalised = password.normalize('NFKC');
  const length = countCodePoints(normalised);
  if (length < MIN_PASSWORD_LENGTH)
    return refuse(
      'too_short',
      `Please use at least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a password that is long and easy to remember.`,
    );
  if (length > MAX_PASSWORD_LENGTH) return tooLong;

  const lowered = normalised.toLowerCase();
  if (isDerivedFromEmail(lowered, context.email))
    return refuse('contains_email', 'Please choose a password that is not based on your email address.');
  if (getBreachedPasswords().has(lowered))
    return refuse(
      'common',
      'This password appears in lists of passwords leaked from other websites, so attackers try it first. Please choose another one.',
    );
  return { ok: true };
}
