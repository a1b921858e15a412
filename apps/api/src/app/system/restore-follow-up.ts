import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { databaseKind, sqlitePath } from '../../core/database/data-source';
import { ErasureLedger } from '../../core/database/erasure-ledger';
import { appliedRestoreNote, forgetAppliedRestoreNote } from '../../core/database/restore';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { AuditService } from '../audit/audit.service';
import { Member } from '../members/member.entity';
import { eraseMemberData, isErasedMember } from '../members/members.service';

/**
 * At every start on SQLite, once the database is migrated and before anything is served: GDPR
 * erasures in the ledger beside the database that it does not hold (it was restored from an older
 * backup, through the portal or by replacing the file offline) are applied again. After a portal
 * restore the restore's audit entry is written into the restored database too, in the same
 * transaction; a crash before its commit leaves the note, and the next start does it again.
 */
@Injectable()
export class RestoreFollowUp implements OnModuleInit {
  private readonly logger = new Logger(RestoreFollowUp.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly ledger: ErasureLedger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (databaseKind(this.config.DATABASE_URL) !== 'sqlite') return;
    const databasePath = sqlitePath(this.config.DATABASE_URL);
    if (databasePath === ':memory:') return;
    const note = appliedRestoreNote(databasePath);
    const erasures = this.ledger.read();
    if (!note && erasures.length === 0) return;
    const reapplied = await this.uow.run(async (em, events) => {
      const erased: number[] = [];
      for (const erasure of erasures) {
        const member = await em.findOneBy(Member, { id: erasure.memberId });
        // Not in the backup, or another member who got the id since: nothing of theirs to erase.
        if (!member || member.createdAt.toISOString() !== erasure.memberCreatedAt) continue;
        if (await isErasedMember(em, member.id)) continue;
        member.deletedAt ??= new Date(erasure.erasedAt);
        await eraseMemberData(em, this.audit, 'system', member);
        erased.push(member.id);
      }
      if (note) {
        await this.audit.record(em, note.actor, 'restore-database', 'system', null, null, {
          ...note.check,
          stagedAt: note.stagedAt,
          erasuresReapplied: erased.length,
        });
      }
      if (erased.length > 0) events.publish('member-changed', { memberId: null });
      return erased;
    });
    if (note) forgetAppliedRestoreNote(databasePath);
    if (reapplied.length > 0) {
      this.logger.warn(
        `erased again ${reapplied.length} member(s) erased after the database's backup was taken (${reapplied.join(', ')})`,
      );
    }
  }
}
