import { Module } from '@nestjs/common';
import { BoardConnectionController, SetupController } from './setup.controller';
import { SetupService } from './setup.service';

@Module({ controllers: [SetupController, BoardConnectionController], providers: [SetupService] })
export class SetupModule {}
