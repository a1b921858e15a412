import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { FleetBoardDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { BoardBindDto, BoardExportQueryDto, BoardListQueryDto } from './boards-api.dto';
import { BoardsApiService } from './boards-api.service';

/** The board fleet: every board that said `alive`, with its machine (or unassigned). */
@ApiTags('boards')
@Controller('boards')
export class BoardsApiController {
  constructor(private readonly boards: BoardsApiService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: BoardListQueryDto): Promise<Page<FleetBoardDto>> {
    return this.boards.list(query);
  }

  @Access('read-only')
  @Get('export')
  export(@Res() response: Response, @Query() query: BoardExportQueryDto): Promise<void> {
    return this.boards.export(response, query);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<FleetBoardDto> {
    return this.boards.get(id);
  }

  @Access('manager')
  @Post(':id/bind')
  @HttpCode(200)
  bind(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: BoardBindDto,
  ): Promise<FleetBoardDto> {
    return this.boards.bind(user, id, body.machineId, body.replace === true);
  }

  /** Lets a board that was really moved speak from another topic (audited). */
  @Access('manager')
  @Post(':id/unbind')
  @HttpCode(200)
  unbind(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<FleetBoardDto> {
    return this.boards.unbind(user, id);
  }
}
