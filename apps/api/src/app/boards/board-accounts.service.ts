import { randomBytes } from 'node:crypto';
import { HttpStatus, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { isValidTopicId } from '@fabomatic/board-protocol';
import type { BoardAccountDto, IssuedBoardAccountDto } from '@fabomatic/contracts';
import { BoardAccountRegistry, boardAccountUsername } from '../../core/broker/board-accounts';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict, notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { hashPassword } from '../auth/password-hashing';
import { BoardAccount } from './board-account.entity';

/** 24 characters of base64url: 144 random bits, and no character a firmware config file must escape. */
function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

function toDto(account: BoardAccount): BoardAccountDto {
  return {
    topicId: account.topicId,
    username: boardAccountUsername(account.topicId),
    issuedAt: account.issuedAt.toISOString(),
  };
}

/**
 * Per-board broker accounts (issue 11): issued per topic from the Boards page, the password shown
 * once, rotated or revoked at once. The embedded broker reads them from {@link BoardAccountRegistry},
 * which this service loads at start-up and keeps in step with every change.
 */
@Injectable()
export class BoardAccountsService implements OnApplicationBootstrap {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly registry: BoardAccountRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // On the main connection: one row per board, and a portal read would start a reader thread that
    // then sits idle (~12 MB) in the freshly started app.
    this.registry.load(await this.uow.manager.find(BoardAccount));
  }

  async list(): Promise<BoardAccountDto[]> {
    const accounts = await this.reads.manager.find(BoardAccount, { order: { topicId: 'ASC' } });
    return accounts.map(toDto);
  }

  /** A new account for a topic that has none. */
  async issue(actor: AuditActor, topicId: string): Promise<IssuedBoardAccountDto> {
    const id = this.checked(topicId);
    const password = newPassword();
    const passwordHash = await hashPassword(password);
    const account = await this.uow.run(async (em) => {
      if (await em.findOneBy(BoardAccount, { topicId: id }))
        throw conflict(
          'BOARD_ACCOUNT_EXISTS',
          `topic ${id} already has its own account: rotate or revoke it`,
          {
            topicId: id,
          },
        );
      const created = await em.save(
        em.create(BoardAccount, { topicId: id, passwordHash, issuedAt: this.clock.now() }),
      );
      await this.audit.record(em, actor, 'issue', 'board-account', created.id, null, toDto(created));
      return created;
    });
    this.registry.set(id, passwordHash);
    return { ...toDto(account), password };
  }

  /** A new password for a topic's account: the old one stops working, its live connection is closed. */
  async rotate(actor: AuditActor, topicId: string): Promise<IssuedBoardAccountDto> {
    const id = this.checked(topicId);
    const password = newPassword();
    const passwordHash = await hashPassword(password);
    const account = await this.uow.run(async (em) => {
      const found = await em.findOneBy(BoardAccount, { topicId: id });
      if (!found) throw notFound('board account');
      const before = toDto(found);
      found.passwordHash = passwordHash;
      found.issuedAt = this.clock.now();
      await em.save(found);
      await this.audit.record(em, actor, 'rotate', 'board-account', found.id, before, toDto(found));
      return found;
    });
    this.registry.set(id, passwordHash);
    return { ...toDto(account), password };
  }

  /** Removes a topic's account: its live connection is closed, and the shared account may use the topic again. */
  async revoke(actor: AuditActor, topicId: string): Promise<void> {
    const id = this.checked(topicId);
    await this.uow.run(async (em) => {
      const found = await em.findOneBy(BoardAccount, { topicId: id });
      if (!found) throw notFound('board account');
      await em.delete(BoardAccount, { id: found.id });
      await this.audit.record(em, actor, 'revoke', 'board-account', found.id, toDto(found), null);
    });
    this.registry.remove(id);
  }

  private checked(topicId: string): string {
    if (!isValidTopicId(topicId))
      throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'invalid topic id', {
        topicId: ['must be a board topic id (digits, at most 65535)'],
      });
    return topicId;
  }
}
