import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { AuthorizationDto, Page, TrainerDto } from '@fabomatic/contracts';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { AuthorizationListQueryDto } from '../authorizations/authorization.dto';
import { AuthorizationsService } from '../authorizations/authorizations.service';
import { TrainerInputDto, TrainerListQueryDto } from './trainer.dto';
import { TrainersService } from './trainers.service';

/** Trainers of machine types: staff read them, managers and admins grant and revoke them. */
@ApiTags('trainers')
@Controller('trainers')
export class TrainersController {
  constructor(private readonly trainers: TrainersService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: TrainerListQueryDto): Promise<TrainerDto[]> {
    return this.trainers.list(query);
  }

  @Access('manager')
  @Post()
  grant(@User() user: SessionUser, @Body() body: TrainerInputDto): Promise<TrainerDto> {
    return this.trainers.grant(user, body);
  }

  @Access('manager')
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<TrainerDto> {
    return this.trainers.revoke(user, id);
  }
}

/** A trainer's own side: the types they train and their trainees (any portal level, `member` too). */
@ApiTags('me')
@Controller('me')
export class MyTrainingController {
  constructor(
    private readonly trainers: TrainersService,
    private readonly authorizations: AuthorizationsService,
  ) {}

  @Access('member')
  @Get('trainer-of')
  trainerOf(@User() user: SessionUser): Promise<TrainerDto[]> {
    return this.trainers.trainerOf(user);
  }

  /** The authorizations of the machine types the signed-in member trains (empty for non-trainers). */
  @Access('member')
  @Get('trainees')
  trainees(
    @User() user: SessionUser,
    @Query() query: AuthorizationListQueryDto,
  ): Promise<Page<AuthorizationDto>> {
    return this.authorizations.trainees(user, query);
  }
}
