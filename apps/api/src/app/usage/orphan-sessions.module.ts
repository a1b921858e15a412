import { Module } from '@nestjs/common';
import { OrphanSessionsService } from './orphan-sessions.service';

/** The sweeper closing sessions whose board went silent: on every instance, like the board path. */
@Module({ providers: [OrphanSessionsService] })
export class OrphanSessionsModule {}
