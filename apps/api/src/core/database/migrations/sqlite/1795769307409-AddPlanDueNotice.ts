import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPlanDueNoticeSqlite1795769307409 implements MigrationInterface {
  name = 'AddPlanDueNoticeSqlite1795769307409';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query(
      'CREATE TABLE "temporary_maintenance_plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" varchar(500) NOT NULL, "lcdMessage" varchar(100) NOT NULL DEFAULT (\'\'), "instructionsUrl" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "dueNotifiedAt" bigint, CONSTRAINT "FK_42f1fa218340c5472c1e483caad" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_maintenance_plans"("id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt") SELECT "id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt" FROM "maintenance_plans"',
    );
    await queryRunner.query('DROP TABLE "maintenance_plans"');
    await queryRunner.query('ALTER TABLE "temporary_maintenance_plans" RENAME TO "maintenance_plans"');
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans" ("machineId") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query('ALTER TABLE "maintenance_plans" RENAME TO "temporary_maintenance_plans"');
    await queryRunner.query(
      'CREATE TABLE "maintenance_plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" varchar(500) NOT NULL, "lcdMessage" varchar(100) NOT NULL DEFAULT (\'\'), "instructionsUrl" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "FK_42f1fa218340c5472c1e483caad" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "maintenance_plans"("id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt") SELECT "id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt" FROM "temporary_maintenance_plans"',
    );
    await queryRunner.query('DROP TABLE "temporary_maintenance_plans"');
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans" ("machineId") ',
    );
  }
}
