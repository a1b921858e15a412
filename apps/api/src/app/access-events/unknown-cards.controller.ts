import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '../../core/http/openapi';
import type { MemberDto, Page, UnknownCardDto } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  UnknownCardExportQueryDto,
  UnknownCardListQueryDto,
  UnknownCardMemberInputDto,
} from './unknown-cards.dto';
import { UnknownCardsService } from './unknown-cards.service';

/** Cards tapped on a board that no member has: read-only, except enrolling one as a new member. */
@ApiTags('unknown-cards')
@Controller('unknown-cards')
export class UnknownCardsController {
  constructor(private readonly cards: UnknownCardsService) {}

  @Access('read-only')
  @Get()
  list(@User() user: SessionUser, @Query() query: UnknownCardListQueryDto): Promise<Page<UnknownCardDto>> {
    return this.cards.list(query, user.access);
  }

  @Access('read-only')
  @Get('export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(
    @User() user: SessionUser,
    @Query() query: UnknownCardExportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    return this.cards.export(query, response, user.access);
  }

  @Access('manager')
  @Post(':uid/member')
  createMember(
    @User() user: SessionUser,
    @Param('uid') uid: string,
    @Body() body: UnknownCardMemberInputDto,
  ): Promise<MemberDto> {
    return this.cards.createMember(user, uid, body);
  }
}
