import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { RolesController } from './roles.controller';
import { RolesService } from './roles.service';

@Module({ imports: [BoardsModule], controllers: [RolesController], providers: [RolesService] })
export class RolesModule {}
