import { Module } from '@nestjs/common';
import { InterventionsController } from './interventions.controller';
import { InterventionsService } from './interventions.service';
import { MaintenanceCacheModule } from './maintenance-cache.module';
import { MaintenancePlansController } from './maintenance-plans.controller';
import { MaintenancePlansService } from './maintenance-plans.service';

/** Plans and interventions; their changes reach the MaintenanceCache as `plan-changed` events. */
@Module({
  imports: [MaintenanceCacheModule],
  controllers: [MaintenancePlansController, InterventionsController],
  providers: [MaintenancePlansService, InterventionsService],
})
export class MaintenanceApiModule {}
