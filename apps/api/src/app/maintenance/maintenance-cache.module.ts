import { Module } from '@nestjs/common';
import { MaintenanceCache } from './maintenance-cache';

/**
 * The maintenance inputs per machine that the boards' `checkmachine` and the portal's plan statuses
 * read; kept current by domain events (plan, session and machine changes), whoever publishes them.
 */
@Module({ providers: [MaintenanceCache], exports: [MaintenanceCache] })
export class MaintenanceCacheModule {}
