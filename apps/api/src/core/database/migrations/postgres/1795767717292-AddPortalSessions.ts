import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPortalSessionsPostgres1795767717292 implements MigrationInterface {
  name = 'AddPortalSessionsPostgres1795767717292';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "portal_sessions" ("tokenHash" character varying(64) NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "expiresAt" bigint NOT NULL, CONSTRAINT "PK_f03b36a152937e2f2ca68b2d413" PRIMARY KEY ("tokenHash"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2620917c75183b300b1c470982" ON "portal_sessions"  ("memberId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_fdd8f185f63fab687e37315e3f" ON "portal_sessions"  ("expiresAt") ',
    );
    await queryRunner.query(
      'ALTER TABLE "portal_sessions" ADD CONSTRAINT "FK_2620917c75183b300b1c4709823" FOREIGN KEY ("memberId") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "portal_sessions" DROP CONSTRAINT "FK_2620917c75183b300b1c4709823"');
    await queryRunner.query('DROP INDEX "public"."IDX_fdd8f185f63fab687e37315e3f"');
    await queryRunner.query('DROP INDEX "public"."IDX_2620917c75183b300b1c470982"');
    await queryRunner.query('DROP TABLE "portal_sessions"');
  }
}
