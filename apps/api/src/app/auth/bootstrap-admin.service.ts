import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Member } from '../members/member.entity';
import { createDefaultRoles, DEFAULT_ADMIN_ROLE, DEFAULT_ROLES } from '../roles/default-roles';
import { Role } from '../roles/role.entity';
import { hashPassword } from './password-hashing';

/**
 * A fresh, empty database gets the default roles (roles/default-roles.ts) at start.
 * A database with no portal admin gets one at start: `ADMIN_EMAIL`, with `ADMIN_PASSWORD` or a
 * random password printed once in the log. It must be changed at first login.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const generated = this.config.ADMIN_PASSWORD ? null : randomBytes(12).toString('base64url');
    let defaultRoles = false;
    const created = await this.uow.run(async (em) => {
      defaultRoles = await createDefaultRoles(em);
      const admins = await em
        .createQueryBuilder(Member, 'm')
        .innerJoin('m.role', 'r')
        .where(`r."portalAccess" = 'admin' AND m."deletedAt" IS NULL AND m."disabled" = :no`, { no: false })
        .getCount();
      if (admins > 0) return false;
      const role =
        (await em.findOneBy(Role, { portalAccess: 'admin', authorizeAll: true })) ??
        (await em.save(
          em.create(Role, {
            name: DEFAULT_ADMIN_ROLE,
            authorizeAll: true,
            maintenance: true,
            portalAccess: 'admin',
            reserved: false,
          }),
        ));
      const email = this.config.ADMIN_EMAIL.toLowerCase();
      const existing = await em.findOneBy(Member, { email });
      const member = existing ?? em.create(Member, { name: 'Admin', surname: '', email, cardUid: null });
      Object.assign(member, {
        roleId: role.id,
        disabled: false,
        deletedAt: null,
        mustChangePassword: true,
        passwordHash: await hashPassword(this.config.ADMIN_PASSWORD ?? generated ?? ''),
      });
      await em.save(member);
      return true;
    });
    if (defaultRoles) {
      this.logger.log(
        `fresh install: created the default roles ${DEFAULT_ROLES.map((r) => r.name).join(', ')}`,
      );
    }
    if (!created) return;
    this.logger.warn(
      generated
        ? `no portal admin found: created ${this.config.ADMIN_EMAIL} with the one-time password ${generated} (change it at first login)`
        : `no portal admin found: created ${this.config.ADMIN_EMAIL} with ADMIN_PASSWORD (change it at first login)`,
    );
  }
}
