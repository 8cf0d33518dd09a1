import { ForbiddenError } from '@/lib/errors';
import type { SessionUser } from './sessions';

/**
 * An initial or reset password (printed by the CLI, or shown once to the office) must be changed
 * before its session does anything else: it was seen by someone other than its owner. Both gates
 * ask this one rule — every API call (callerFromRequest, with the endpoint's `beforePasswordChange`)
 * and every page (requirePageSession, where only /account is allowed) — so neither a page nor an
 * endpoint can forget it. Server actions that need a login must go through one of the two.
 */
export function passwordChangePending(session: SessionUser, allowed: boolean): boolean {
  return session.user.mustChangePassword && !allowed;
}

export function assertPasswordSettled(session: SessionUser, allowed: boolean): void {
  if (passwordChangePending(session, allowed)) throw new ForbiddenError('password_change_required');
}
