import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for erasing a member: the count of their interventions and the audit entries they made,
 * both read in the erase's transaction (and in the purge's, for every member it erases), each scanned
 * its whole table (15 and 14 ms from disk on the ten-year lab, every board waiting).
 */
export class ErasureIndexesPostgres1796700000000 implements MigrationInterface {
  name = 'ErasureIndexesPostgres1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "IDX_interventions_member" ON "interventions" ("memberId")');
    await queryRunner.query('CREATE INDEX "IDX_audit_log_actor_member" ON "audit_log" ("actorMemberId")');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_audit_log_actor_member"');
    await queryRunner.query('DROP INDEX "public"."IDX_interventions_member"');
  }
}
