import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { BoardAccountDto, IssuedBoardAccountDto } from '@fabomatic/contracts';
import { ApiTags } from '../../core/http/openapi';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { BoardAccountsService } from './board-accounts.service';

/**
 * Per-board broker accounts (issue 11), by board topic id. Issuing, rotating and revoking them is
 * for admins: an account's password opens a machine's topic. The password is in the answer to
 * issue and rotate only.
 */
@ApiTags('boards')
@Controller('board-accounts')
export class BoardAccountsController {
  constructor(private readonly accounts: BoardAccountsService) {}

  @Access('read-only')
  @Get()
  list(): Promise<BoardAccountDto[]> {
    return this.accounts.list();
  }

  @Access('admin')
  @Post(':topicId')
  issue(@User() user: SessionUser, @Param('topicId') topicId: string): Promise<IssuedBoardAccountDto> {
    return this.accounts.issue(user, topicId);
  }

  @Access('admin')
  @Post(':topicId/rotate')
  @HttpCode(200)
  rotate(@User() user: SessionUser, @Param('topicId') topicId: string): Promise<IssuedBoardAccountDto> {
    return this.accounts.rotate(user, topicId);
  }

  @Access('admin')
  @Delete(':topicId')
  @HttpCode(204)
  revoke(@User() user: SessionUser, @Param('topicId') topicId: string): Promise<void> {
    return this.accounts.revoke(user, topicId);
  }
}
