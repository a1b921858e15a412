import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { MachineStatusService } from './machine-status.service';
import { MachinesController } from './machines.controller';
import { MachinesService } from './machines.service';
import { RemoteCommandsService } from './remote-commands.service';

@Module({
  imports: [BoardsModule],
  controllers: [MachinesController],
  providers: [MachinesService, MachineStatusService, RemoteCommandsService],
  // The dashboard's live updates may reuse the status of a machine.
  exports: [MachineStatusService],
})
export class MachinesModule {}
