import {
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import type {
  DowntimeReportDto,
  MemberNotificationsDto,
  Page,
  ProblemReportDto,
  ReportableMachineDto,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { ApiConsumes, ApiTags } from '../../core/http/openapi';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { PhotoUploadInterceptor, type UploadedPhoto } from './photo-upload.interceptor';
import {
  DowntimeQueryDto,
  MemberNotificationsInputDto,
  ProblemListQueryDto,
  ProblemReportInputDto,
  ResolveProblemDto,
  UpdateProblemDto,
} from './problem.dto';
import { ProblemsService } from './problems.service';

/** Problem reports: members report on machines they may use, staff follow them up. */
@ApiTags('problems')
@Controller('problems')
export class ProblemsController {
  constructor(private readonly problems: ProblemsService) {}

  /** multipart/form-data: the fields of ProblemReportInput, and an optional file `photo`. */
  @Access('member')
  @Post()
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(PhotoUploadInterceptor)
  create(
    @User() user: SessionUser,
    @Body() body: ProblemReportInputDto,
    @UploadedFile() photo: UploadedPhoto | undefined,
  ): Promise<ProblemReportDto> {
    return this.problems.create(user, body, photo?.buffer ?? null);
  }

  @Access('read-only')
  @Get()
  list(@User() user: SessionUser, @Query() query: ProblemListQueryDto): Promise<Page<ProblemReportDto>> {
    return this.problems.list(user, query);
  }

  /** Staff, or the reporter. */
  @Access('member')
  @Get(':id')
  get(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<ProblemReportDto> {
    return this.problems.get(user, id);
  }

  /** Staff, or the reporter; never cached by shared proxies. */
  @Access('member')
  @Get(':id/photo')
  photo(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Res() response: Response,
  ): Promise<void> {
    return this.problems.sendPhoto(user, id, response);
  }

  @Access('manager')
  @Post(':id/resolve')
  resolve(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: ResolveProblemDto,
  ): Promise<ProblemReportDto> {
    return this.problems.resolve(user, id, body.resolution);
  }

  /** The reporter only, while open. */
  @Access('member')
  @Post(':id/cancel')
  cancel(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<ProblemReportDto> {
    return this.problems.cancel(user, id);
  }

  @Access('manager')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: UpdateProblemDto,
  ): Promise<ProblemReportDto> {
    return this.problems.setHardLock(user, id, body.hardLock);
  }
}

/** The signed-in member's side of problem reports. */
@ApiTags('problems')
@Controller('me')
export class MyProblemsController {
  constructor(private readonly problems: ProblemsService) {}

  @Access('member')
  @Get('problems')
  mine(@User() user: SessionUser, @Query() query: ProblemListQueryDto): Promise<Page<ProblemReportDto>> {
    return this.problems.list(user, query, true);
  }

  @Access('member')
  @Get('reportable-machines')
  reportable(@User() user: SessionUser): Promise<ReportableMachineDto[]> {
    return this.problems.reportableMachines(user);
  }

  @Access('member')
  @Get('notifications')
  notifications(@User() user: SessionUser): Promise<MemberNotificationsDto> {
    return this.problems.notifications(user);
  }

  @Access('member')
  @Patch('notifications')
  setNotifications(
    @User() user: SessionUser,
    @Body() body: MemberNotificationsInputDto,
  ): Promise<MemberNotificationsDto> {
    return this.problems.setNotifications(user, body);
  }
}

@ApiTags('reports')
@Controller('reports')
export class DowntimeController {
  constructor(private readonly problems: ProblemsService) {}

  /** Out-of-order time per machine and the median time to repair, from the outage intervals. */
  @Access('read-only')
  @Get('downtime')
  downtime(@Query() query: DowntimeQueryDto): Promise<DowntimeReportDto> {
    return this.problems.downtime(query);
  }
}
