import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import type {
  RemoteCommandResult,
  TrainingRequestDto,
  TrainingSessionDto,
  TrainingTypeDto,
} from '@fabomatic/contracts';
import { ApiTags } from '../../core/http/openapi';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { SupervisedStartService } from './supervised-start.service';
import {
  SupervisedStartInputDto,
  TrainingOutcomesInputDto,
  TrainingRequestInputDto,
  TrainingRequestQueryDto,
  TrainingSessionInputDto,
  TrainingSessionQueryDto,
  TrainingSessionUpdateDto,
} from './training.dto';
import { TrainingRequestsService } from './training-requests.service';
import { TrainingSessionsService } from './training-sessions.service';

/**
 * Trainings (issue 15), every route at the `member` level, the service deciding who may: a member's
 * own requests (`me/…`); the queue and the sessions for the trainers of a type (403 for another type)
 * and staff; a supervised first use for a trainer of the machine's type.
 */
@ApiTags('training')
@Controller()
export class TrainingController {
  constructor(
    private readonly requests: TrainingRequestsService,
    private readonly sessions: TrainingSessionsService,
    private readonly supervised: SupervisedStartService,
  ) {}

  /** What a member may ask training for. */
  @Access('member')
  @Get('me/training-types')
  types(@User() user: SessionUser): Promise<TrainingTypeDto[]> {
    return this.requests.types(user);
  }

  @Access('member')
  @Get('me/training-requests')
  myRequests(@User() user: SessionUser): Promise<TrainingRequestDto[]> {
    return this.requests.mine(user);
  }

  @Access('member')
  @Post('me/training-requests')
  ask(@User() user: SessionUser, @Body() body: TrainingRequestInputDto): Promise<TrainingRequestDto> {
    return this.requests.create(user, body);
  }

  @Access('member')
  @Post('me/training-requests/:id/cancel')
  @HttpCode(200)
  cancel(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<TrainingRequestDto> {
    return this.requests.cancel(user, id);
  }

  /** The queue: trainers of the type; read-only staff and above see every type's. */
  @Access('member')
  @Get('training-requests')
  queue(@User() user: SessionUser, @Query() query: TrainingRequestQueryDto): Promise<TrainingRequestDto[]> {
    return this.requests.queue(user, query);
  }

  @Access('member')
  @Get('training-sessions')
  listSessions(
    @User() user: SessionUser,
    @Query() query: TrainingSessionQueryDto,
  ): Promise<TrainingSessionDto[]> {
    return this.sessions.list(user, query);
  }

  @Access('member')
  @Get('training-sessions/:id')
  getSession(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<TrainingSessionDto> {
    return this.sessions.get(user, id);
  }

  @Access('member')
  @Post('training-sessions')
  plan(@User() user: SessionUser, @Body() body: TrainingSessionInputDto): Promise<TrainingSessionDto> {
    return this.sessions.create(user, body);
  }

  @Access('member')
  @Patch('training-sessions/:id')
  updateSession(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: TrainingSessionUpdateDto,
  ): Promise<TrainingSessionDto> {
    return this.sessions.update(user, id, body);
  }

  @Access('member')
  @Post('training-sessions/:id/outcomes')
  @HttpCode(200)
  outcomes(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: TrainingOutcomesInputDto,
  ): Promise<TrainingSessionDto> {
    return this.sessions.outcomes(user, id, body);
  }

  /** A supervised first use: a trainer starts the machine with the trainee's card. */
  @Access('member')
  @Post('machines/:id/supervised-start')
  @HttpCode(202)
  supervisedStart(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: SupervisedStartInputDto,
  ): Promise<RemoteCommandResult> {
    return this.supervised.start(user, id, body.traineeId);
  }
}
