import { Module } from '@nestjs/common';
import { RolesModule } from './roles/roles.module';

/** The admin REST API's feature modules (each under /api/<feature>). */
@Module({
  imports: [RolesModule],
})
export class ApiModule {}
