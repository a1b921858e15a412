import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KiosksModule } from '../kiosks/kiosks.module';
import { MachinesModule } from '../machines/machines.module';
import { LiveAudience } from './live-audience';
import { LiveGateway } from './live.gateway';
import { MachineStatusPublisher } from './machine-status.publisher';

@Module({
  imports: [AuthModule, MachinesModule, KiosksModule],
  providers: [LiveGateway, MachineStatusPublisher, LiveAudience],
})
export class RealtimeModule {}
