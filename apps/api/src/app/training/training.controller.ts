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

/** What a member may ask training for (the members' portal). */
@ApiTags('training')
@Controller('me/training-types')
export class MyTrainingTypesController {
  constructor(private readonly requests: TrainingRequestsService) {}

  @Access('member')
  @Get()
  list(@User() user: SessionUser): Promise<TrainingTypeDto[]> {
    return this.requests.types(user);
  }
}

/** A member's own training requests (the members' portal). */
@ApiTags('training')
@Controller('me/training-requests')
export class MyTrainingRequestsController {
  constructor(private readonly requests: TrainingRequestsService) {}

  @Access('member')
  @Get()
  list(@User() user: SessionUser): Promise<TrainingRequestDto[]> {
    return this.requests.mine(user);
  }

  @Access('member')
  @Post()
  create(@User() user: SessionUser, @Body() body: TrainingRequestInputDto): Promise<TrainingRequestDto> {
    return this.requests.create(user, body);
  }

  @Access('member')
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<TrainingRequestDto> {
    return this.requests.cancel(user, id);
  }
}

/**
 * The training queue: the trainers of a type see its requests (403 for another type); read-only
 * staff and above see every type's.
 */
@ApiTags('training')
@Controller('training-requests')
export class TrainingRequestsController {
  constructor(private readonly requests: TrainingRequestsService) {}

  @Access('member')
  @Get()
  queue(@User() user: SessionUser, @Query() query: TrainingRequestQueryDto): Promise<TrainingRequestDto[]> {
    return this.requests.queue(user, query);
  }
}

/** Training sessions: planned by the trainers of the type (or managers), their outcomes recorded. */
@ApiTags('training')
@Controller('training-sessions')
export class TrainingSessionsController {
  constructor(private readonly sessions: TrainingSessionsService) {}

  @Access('member')
  @Get()
  list(@User() user: SessionUser, @Query() query: TrainingSessionQueryDto): Promise<TrainingSessionDto[]> {
    return this.sessions.list(user, query);
  }

  @Access('member')
  @Get(':id')
  get(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<TrainingSessionDto> {
    return this.sessions.get(user, id);
  }

  @Access('member')
  @Post()
  create(@User() user: SessionUser, @Body() body: TrainingSessionInputDto): Promise<TrainingSessionDto> {
    return this.sessions.create(user, body);
  }

  @Access('member')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: TrainingSessionUpdateDto,
  ): Promise<TrainingSessionDto> {
    return this.sessions.update(user, id, body);
  }

  @Access('member')
  @Post(':id/outcomes')
  @HttpCode(200)
  outcomes(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: TrainingOutcomesInputDto,
  ): Promise<TrainingSessionDto> {
    return this.sessions.outcomes(user, id, body);
  }
}

/** A supervised first use: a trainer starts the machine with the trainee's card. */
@ApiTags('training')
@Controller('machines')
export class SupervisedStartController {
  constructor(private readonly supervised: SupervisedStartService) {}

  @Access('member')
  @Post(':id/supervised-start')
  @HttpCode(202)
  start(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: SupervisedStartInputDto,
  ): Promise<RemoteCommandResult> {
    return this.supervised.start(user, id, body.traineeId);
  }
}
