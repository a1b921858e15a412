import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CoverMachineSessionReadsSqlite1796454476477 implements MigrationInterface {
  name = 'CoverMachineSessionReadsSqlite1796454476477';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_6e6f337b02209bcbbe3b060f10"');
    await queryRunner.query(
      'CREATE INDEX "IDX_e5f419a9ada8023d3847edacb3" ON "usage_sessions" ("machineId", "startedAt", "memberId", "endedAt") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_e5f419a9ada8023d3847edacb3"');
    await queryRunner.query(
      'CREATE INDEX "IDX_6e6f337b02209bcbbe3b060f10" ON "usage_sessions" ("machineId", "startedAt") ',
    );
  }
}
