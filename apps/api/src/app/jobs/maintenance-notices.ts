import { Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Mailer } from '../../core/mail/mailer';
import { Clock } from '../../core/time/clock';
import { MaintenancePlan } from '../maintenance/maintenance-plan.entity';
import { emailLanguage } from './email-format';
import { maintenanceNoticeEmail } from './maintenance-notice-email';
import { planStates, type PlanState } from './plan-states';

export interface MaintenanceNoticeResult {
  /** Plans that became due since the last check (each is announced once per due period). */
  readonly newlyDue: number;
  readonly recipients: readonly string[];
  readonly sent: number;
  readonly failed: number;
}

/**
 * Tells the maintainers (portal users with email whose role may record maintenance) when a plan
 * becomes due. A plan is announced once per due period: `dueNotifiedAt` remembers it until an
 * intervention starts a new period (a notice older than the last intervention no longer counts) or
 * the plan is no longer due (the mark is cleared).
 */
@Injectable()
export class MaintenanceNotices {
  private readonly logger = new Logger('MaintenanceNotices');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<MaintenanceNoticeResult> {
    const now = this.clock.now();
    const states = await planStates(this.uow.reader, now.getTime());
    const stale = states.filter((p) => !p.due && p.dueNotifiedAt !== null).map((p) => p.planId);
    const fresh = states.filter((p) => p.due && !announced(p));
    if (stale.length) {
      await this.uow.run((em) => em.update(MaintenancePlan, { id: In(stale) }, { dueNotifiedAt: null }));
    }
    if (fresh.length === 0) return { newlyDue: 0, recipients: [], sent: 0, failed: 0 };
    if (!this.mailer.configured) {
      // Not marked: once SMTP is configured, the maintainers hear about it.
      this.logger.warn(`${fresh.length} maintenance plan(s) due, not announced: SMTP_URL is not configured`);
      return { newlyDue: fresh.length, recipients: [], sent: 0, failed: 0 };
    }
    const maintainers = await this.uow.reader.all<{ name: string; email: string; language: string }>(
      `SELECT m."name", m."email", m."language" FROM "members" m JOIN "roles" r ON r."id" = m."roleId"
       WHERE r."maintenance" = ? AND r."portalAccess" NOT IN ('none', 'member') AND m."disabled" = ?
         AND m."deletedAt" IS NULL AND m."email" IS NOT NULL
       ORDER BY m."email"`,
      [true, false],
    );
    let sent = 0;
    let failed = 0;
    for (const person of maintainers) {
      try {
        await this.mailer.send(
          maintenanceNoticeEmail(person.email, person.name, emailLanguage(person.language), fresh),
        );
        sent++;
      } catch (error) {
        failed++;
        this.logger.error(`maintenance notice to a maintainer failed: ${String(error)}`);
      }
    }
    await this.uow.run((em) =>
      em.update(MaintenancePlan, { id: In(fresh.map((p) => p.planId)) }, { dueNotifiedAt: now }),
    );
    this.logger.log(`${fresh.length} plan(s) became due: ${sent} maintainer(s) told, ${failed} failed`);
    return { newlyDue: fresh.length, recipients: maintainers.map((m) => m.email), sent, failed };
  }
}

/** Announced in the current due period: after the last intervention. */
function announced(plan: PlanState): boolean {
  return plan.dueNotifiedAt !== null && plan.dueNotifiedAt >= plan.lastInterventionAt;
}
