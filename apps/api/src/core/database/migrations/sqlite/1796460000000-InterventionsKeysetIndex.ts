import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InterventionsKeysetIndexSqlite1796460000000 implements MigrationInterface {
  name = 'InterventionsKeysetIndexSqlite1796460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "IDX_interventions_performed_id" ON "interventions" ("performedAt", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_interventions_performed_id"');
  }
}
