import { Module } from '@nestjs/common';
import { LabSettingsModule } from '../lab-settings/lab-settings.module';
import { MachinesModule } from '../machines/machines.module';
import { KioskTokenGuard } from './kiosk-token.guard';
import { KioskView } from './kiosk-view';
import { KioskStatusController } from './kiosk-status.controller';
import { KiosksController } from './kiosks.controller';
import { KiosksService } from './kiosks.service';

/** Kiosk screens (issue 14): their tokens, their read and what their live socket receives. */
@Module({
  imports: [MachinesModule, LabSettingsModule],
  controllers: [KiosksController, KioskStatusController],
  providers: [KiosksService, KioskView, KioskTokenGuard],
  // The live gateway authenticates kiosk sockets and sends them tiles.
  exports: [KiosksService, KioskView],
})
export class KiosksModule {}
