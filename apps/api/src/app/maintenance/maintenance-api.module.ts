import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { InterventionsController } from './interventions.controller';
import { InterventionsService } from './interventions.service';
import { MaintenancePlansController } from './maintenance-plans.controller';
import { MaintenancePlansService } from './maintenance-plans.service';

/** Plans and interventions; the MaintenanceCache they keep current is the boards' one. */
@Module({
  imports: [BoardsModule],
  controllers: [MaintenancePlansController, InterventionsController],
  providers: [MaintenancePlansService, InterventionsService],
})
export class MaintenanceApiModule {}
