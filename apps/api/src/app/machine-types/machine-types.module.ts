import { Module } from '@nestjs/common';
import { MachineTypesController } from './machine-types.controller';
import { MachineTypesService } from './machine-types.service';

@Module({ controllers: [MachineTypesController], providers: [MachineTypesService] })
export class MachineTypesModule {}
