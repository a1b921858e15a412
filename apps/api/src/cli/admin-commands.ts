import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { AppConfig } from '../core/config/config.schema';
import { hashPassword } from '../app/auth/password-hashing';
import { MagicLinkToken } from '../app/auth/magic-link-token.entity';
import { PasswordResetToken } from '../app/auth/password-reset-token.entity';
import { PortalSession } from '../app/auth/portal-session.entity';
import { Member } from '../app/members/member.entity';
import { Role } from '../app/roles/role.entity';
import { withDatabase } from './operator-database';

export interface OneTimePassword {
  readonly memberId: number;
  readonly email: string;
  /** Shown once to the operator; only its hash is stored. */
  readonly password: string;
  readonly portalSessionsEnded: number;
}

const oneTimePassword = () => randomBytes(12).toString('base64url');

function normalEmail(email: string): string {
  const parsed = z.email().safeParse(email.trim().toLowerCase());
  if (!parsed.success) throw new Error(`"${email}" is not an email address`);
  return parsed.data;
}

/**
 * `fabomatic admin create <email> [--name N]`: a portal admin with a one-time password that must be
 * changed at the first login. Refuses an email a member (even a deleted one) already has.
 */
export async function createAdmin(
  config: AppConfig,
  rawEmail: string,
  name = 'Admin',
): Promise<OneTimePassword> {
  const email = normalEmail(rawEmail);
  const displayName = name.trim().slice(0, 100) || 'Admin';
  const password = oneTimePassword();
  return withDatabase(config, async ({ uow, audit }) => {
    const passwordHash = await hashPassword(password);
    return uow.run(async (em) => {
      if (await em.existsBy(Member, { email })) {
        throw new Error(
          `a member with the email ${email} already exists: use \`fabomatic admin reset-password ${email}\``,
        );
      }
      const role =
        (await em.findOne(Role, { where: { portalAccess: 'admin' }, order: { id: 'ASC' } })) ??
        (await createAdminRole(em));
      const member = await em.save(
        em.create(Member, {
          name: displayName,
          surname: '',
          email,
          cardUid: null,
          roleId: role.id,
          disabled: false,
          deletedAt: null,
          passwordHash,
          mustChangePassword: true,
          receiveWeeklySummary: false,
          language: 'en',
        }),
      );
      await audit.record(em, 'cli', 'create', 'member', member.id, null, member);
      return { memberId: member.id, email, password, portalSessionsEnded: 0 };
    });
  });
}

async function createAdminRole(em: EntityManager): Promise<Role> {
  const name = (await em.existsBy(Role, { name: 'Admins' })) ? 'Portal admins' : 'Admins';
  return em.save(
    em.create(Role, {
      name,
      authorizeAll: false,
      maintenance: false,
      portalAccess: 'admin',
      reserved: false,
    }),
  );
}

/**
 * `fabomatic admin reset-password <email>`: a new one-time password for a portal user (to be changed
 * at the next login); their portal sessions and pending reset links end.
 */
export async function resetPassword(config: AppConfig, rawEmail: string): Promise<OneTimePassword> {
  const email = normalEmail(rawEmail);
  const password = oneTimePassword();
  return withDatabase(config, async ({ uow, audit }) => {
    const passwordHash = await hashPassword(password);
    return uow.run(async (em) => {
      const member = await em.findOneBy(Member, { email });
      if (!member) throw new Error(`no member has the email ${email}`);
      if (member.deletedAt) throw new Error(`${email} belongs to a deleted member: restore them first`);
      const role = await em.findOneByOrFail(Role, { id: member.roleId });
      if (role.portalAccess === 'none') {
        throw new Error(
          `${email} cannot sign in to the portal: their role "${role.name}" has no portal access`,
        );
      }
      const ended = await em.delete(PortalSession, { memberId: member.id });
      await em.delete(PasswordResetToken, { memberId: member.id });
      await em.delete(MagicLinkToken, { memberId: member.id });
      await em.update(Member, { id: member.id }, { passwordHash, mustChangePassword: true });
      await audit.record(em, 'cli', 'reset-password', 'member', member.id, null, {
        mustChangePassword: true,
        portalSessionsEnded: ended.affected ?? 0,
      });
      return { memberId: member.id, email, password, portalSessionsEnded: ended.affected ?? 0 };
    });
  });
}

export function formatOneTimePassword(result: OneTimePassword, created: boolean): string {
  return [
    created
      ? `created portal admin ${result.email} (member #${result.memberId})`
      : `new password for ${result.email} (member #${result.memberId}); ${result.portalSessionsEnded} portal session(s) ended`,
    `one-time password: ${result.password}`,
    'It is shown only now and must be changed at the first login.',
  ].join('\n');
}
