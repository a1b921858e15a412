import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../core/config/config.schema';
import { ConfigModule } from '../core/config/config.module';
import { dataSourceOptions } from '../core/database/data-source';
import { PortalReads } from '../core/database/portal-reads';
import { ExportStreams } from '../core/http/export';
import { UnitOfWork } from '../core/database/unit-of-work';
import { EventBus } from '../core/events/event-bus';
import { ErasureLedger } from '../core/database/erasure-ledger';
import { Clock } from '../core/time/clock';
import { BoardTransportStatus } from './boards/board-transport-status';
import { BoardsModule } from './boards/boards.module';
import { OrphanSessionsModule } from './usage/orphan-sessions.module';
import { HealthController } from './health/health.controller';
import { ApiModule } from './api.module';
import { AuditService } from './audit/audit.service';
import { Metrics } from '../core/metrics/metrics';
import { BoardAccountRegistry } from '../core/broker/board-accounts';
import { MetricsController } from '../core/metrics/metrics.controller';
import { AuthModule } from './auth/auth.module';
import { RealtimeModule } from './realtime/realtime.module';
import { SystemModule } from './system/system.module';

export interface AppModuleOptions {
  readonly config: AppConfig;
  /** The side-effect seams; tests may pass their own. */
  readonly providers: Provider[];
}

@Global()
@Module({})
class CoreModule {
  static forRoot(providers: Provider[]): DynamicModule {
    const defaults: Provider[] = [
      UnitOfWork,
      PortalReads,
      ExportStreams,
      EventBus,
      ErasureLedger,
      Clock,
      BoardTransportStatus,
      AuditService,
      Metrics,
      BoardAccountRegistry,
    ];
    const tokenOf = (p: Provider) => (typeof p === 'function' ? p : p.provide);
    const given = new Set(providers.map(tokenOf));
    const all = [...defaults.filter((p) => !given.has(tokenOf(p))), ...providers];
    // Every seam given or defaulted here is visible to every feature module.
    return { module: CoreModule, providers: all, exports: all.map(tokenOf) };
  }
}

@Module({})
export class AppModule {
  static forRoot({ config, providers }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config),
          migrationsRun: true,
          migrationsTransactionMode: 'each',
        }),
        CoreModule.forRoot(providers),
        BoardsModule,
        OrphanSessionsModule,
        AuthModule,
        RealtimeModule,
        SystemModule,
        ApiModule,
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}
