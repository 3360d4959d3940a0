/** The auth service: every sign-in and account use case, bound to its dependencies. */
import type { Actor } from '../../platform/actor.ts';
import type { AuthContext, RequestInfo } from './auth.context.ts';
import type { CodeInput } from './second-factor.ts';
import * as accounts from './use-cases/create-accounts.ts';
import * as enrolment from './use-cases/enrol-factors.ts';
import * as manage from './use-cases/manage-account.ts';
import * as passkeys from './use-cases/passkeys.ts';
import { sealLegacyPlaintext } from './use-cases/seal-legacy-plaintext.ts';
import * as signIn from './use-cases/sign-in.ts';

/** The auth service. */
export type AuthService = ReturnType<typeof createAuthService>;

/** Creates the auth service. */
export function createAuthService(context: AuthContext) {
  return {
    createOperator: (email: string) => accounts.createOperator(context, email),
    setUpAccount: (input: { token: string; password: string }, info: RequestInfo) =>
      accounts.setUpAccount(context, input, info),
    acceptInvitation: (input: { token: string; password: string }, info: RequestInfo) =>
      accounts.acceptInvitation(context, input, info),
    signInWithPassword: (input: { email: string; password: string }, info: RequestInfo) =>
      signIn.signInWithPassword(context, input, info),
    presentSecondFactor: (
      actor: Actor,
      input: CodeInput,
      purpose: 'sign_in' | 'step_up',
      info: RequestInfo,
    ) => signIn.presentSecondFactor(context, actor, input, purpose, info),
    beginPasskeySignIn: (actor: Actor | null) => passkeys.beginPasskeySignIn(context, actor),
    signInWithPasskey: (input: Parameters<typeof passkeys.signInWithPasskey>[1], info: RequestInfo) =>
      passkeys.signInWithPasskey(context, input, info),
    presentPasskey: (actor: Actor, input: Parameters<typeof passkeys.presentPasskey>[2], info: RequestInfo) =>
      passkeys.presentPasskey(context, actor, input, info),
    beginTotpEnrolment: (actor: Actor, label: string) => enrolment.beginTotpEnrolment(context, actor, label),
    confirmTotpEnrolment: (actor: Actor, factorId: string, code: string, info: RequestInfo) =>
      enrolment.confirmTotpEnrolment(context, actor, factorId, code, info),
    beginPasskeyRegistration: (actor: Actor) => enrolment.beginPasskeyRegistration(context, actor),
    finishPasskeyRegistration: (
      actor: Actor,
      input: Parameters<typeof enrolment.finishPasskeyRegistration>[2],
      info: RequestInfo,
    ) => enrolment.finishPasskeyRegistration(context, actor, input, info),
    describeAccount: (actor: Actor) => manage.describeAccount(context, actor),
    listOwnFactors: (actor: Actor) => manage.listOwnFactors(context, actor),
    removeFactor: (actor: Actor, factorId: string, info: RequestInfo) =>
      manage.removeFactor(context, actor, factorId, info),
    regenerateRecoveryCodes: (actor: Actor, info: RequestInfo) =>
      manage.regenerateRecoveryCodes(context, actor, info),
    changePassword: (
      actor: Actor,
      input: { currentPassword: string; newPassword: string },
      info: RequestInfo,
    ) => manage.changePassword(context, actor, input, info),
    listOwnSessions: (actor: Actor) => manage.listOwnSessions(context, actor),
    revokeOwnSession: (actor: Actor, sessionId: string, info: RequestInfo) =>
      manage.revokeOwnSession(context, actor, sessionId, info),
    selectTenant: (actor: Actor, tenantId: string, info: RequestInfo) =>
      manage.selectTenant(context, actor, tenantId, info),
    unlockMember: (actor: Actor, userId: string, info: RequestInfo) =>
      manage.unlockMember(context, actor, userId, info),
    /** Seals emails and TOTP secrets an older release stored in clear (at start, before serving). */
    sealLegacyPlaintext: () => sealLegacyPlaintext(context),
  };
}
