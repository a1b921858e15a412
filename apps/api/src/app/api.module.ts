import { Module } from '@nestjs/common';
import { RolesModule } from './roles/roles.module';
import { UsageModule } from './usage/usage.module';
import { AccessEventsModule } from './access-events/access-events.module';
import { ReportsModule } from './reports/reports.module';
import { AuditModule } from './audit/audit.module';
import { AuthorizationsModule } from './authorizations/authorizations.module';
import { MembersModule } from './members/members.module';
import { UnknownCardsModule } from './access-events/unknown-cards.module';
import { MachineTypesModule } from './machine-types/machine-types.module';
import { MachinesModule } from './machines/machines.module';
import { BoardsApiModule } from './boards/boards-api.module';
import { MaintenanceApiModule } from './maintenance/maintenance-api.module';
import { JobsModule } from './jobs/jobs.module';
import { SetupModule } from './setup/setup.module';
import { TrainingModule } from './training/training.module';
import { TrainersModule } from './training/trainers.module';
import { KiosksModule } from './kiosks/kiosks.module';
import { LabSettingsModule } from './lab-settings/lab-settings.module';
import { MyDataModule } from './my-data/my-data.module';
import { ProblemsModule } from './problems/problems.module';

/** The admin REST API's feature modules (each under /api/<feature>). */
@Module({
  imports: [
    MachineTypesModule,
    MachinesModule,
    BoardsApiModule,
    MaintenanceApiModule,
    RolesModule,
    UsageModule,
    AccessEventsModule,
    ReportsModule,
    MembersModule,
    UnknownCardsModule,
    AuthorizationsModule,
    AuditModule,
    JobsModule,
    SetupModule,
    TrainingModule,
    TrainersModule,
    LabSettingsModule,
    KiosksModule,
    MyDataModule,
    ProblemsModule,
  ],
})
export class ApiModule {}
