import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiTags } from '../../core/http/openapi';
import { hasMediaType, readBody } from '../../core/http/upload';
import {
  MAX_MEMBER_IMPORT_BYTES,
  type MemberDeleteResult,
  type MemberDto,
  type MemberEraseResult,
  type MemberImportResult,
  type Page,
} from '@fabomatic/contracts';
import type { Request, Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  MemberExportQueryDto,
  MemberImportQueryDto,
  MemberInputDto,
  MemberListQueryDto,
  MemberUpdateDto,
} from './member.dto';
import { MembersImportService } from './members-import.service';
import { MembersService } from './members.service';

/**
 * Members: managers handle them day to day, but only admins touch members with manager or admin
 * access, or give such a role. Deleting keeps history; erasing (admin) removes personal data.
 */
@ApiTags('members')
@Controller('members')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly imports: MembersImportService,
  ) {}

  @Access('read-only')
  @Get()
  list(@User() user: SessionUser, @Query() query: MemberListQueryDto): Promise<Page<MemberDto>> {
    return this.members.list(query, user.access);
  }

  @Access('manager')
  @Get('export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@Query() query: MemberExportQueryDto, @Res() response: Response): Promise<void> {
    return this.members.export(query, response);
  }

  @Access('read-only')
  @Get(':id')
  get(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<MemberDto> {
    return this.members.get(id, user.access);
  }

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: MemberInputDto): Promise<MemberDto> {
    return this.members.create(user, body);
  }

  /**
   * A CSV file of members (`text/csv`, header row, `,` or `;`): all created in one go, or none and
   * every problem listed by row; `?dryRun=true` only checks. Columns: docs/user-guide.md.
   * The file is read here, once the guard has checked the session and the level (at most 2 MB).
   */
  @Access('manager')
  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async import(
    @User() user: SessionUser,
    @Query() query: MemberImportQueryDto,
    @Req() request: Request,
  ): Promise<MemberImportResult> {
    const file = hasMediaType(request, 'text/csv') ? await readBody(request, MAX_MEMBER_IMPORT_BYTES) : null;
    return this.imports.import(user, file, query);
  }

  @Access('manager')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: MemberUpdateDto,
  ): Promise<MemberDto> {
    return this.members.update(user, id, body);
  }

  @Access('manager')
  @Delete(':id')
  remove(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<MemberDeleteResult> {
    return this.members.remove(user, id);
  }

  @Access('admin')
  @Post(':id/erase')
  @HttpCode(200)
  erase(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<MemberEraseResult> {
    return this.members.erase(user, id);
  }

  @Access('manager')
  @Post(':id/restore')
  @HttpCode(200)
  restore(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<MemberDto> {
    return this.members.restore(user, id);
  }
}
