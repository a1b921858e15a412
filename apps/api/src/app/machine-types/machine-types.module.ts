import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { MachineTypesController } from './machine-types.controller';
import { MachineTypesService } from './machine-types.service';

@Module({ imports: [BoardsModule], controllers: [MachineTypesController], providers: [MachineTypesService] })
export class MachineTypesModule {}
