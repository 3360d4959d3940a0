/** Validates the email options of the account commands with the same schema as the API. */
import { Value } from 'typebox/value';
import { Email } from '../modules/members/index.ts';
import { AppError } from '../platform/errors.ts';

/** Returns the email or throws a readable error naming the option. */
export function validateEmailOption(email: string): string {
  if (!Value.Check(Email, email))
    throw new AppError('validation_failed', '--email must be a valid email address');
  return email.trim().toLowerCase();
}
