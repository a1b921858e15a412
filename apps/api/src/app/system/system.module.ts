import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

@Module({ imports: [BoardsModule], controllers: [SystemController], providers: [SystemService] })
export class SystemModule {}
