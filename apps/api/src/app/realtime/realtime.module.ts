import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MachinesModule } from '../machines/machines.module';
import { LiveGateway } from './live.gateway';
import { MachineStatusPublisher } from './machine-status.publisher';

@Module({ imports: [AuthModule, MachinesModule], providers: [LiveGateway, MachineStatusPublisher] })
export class RealtimeModule {}
