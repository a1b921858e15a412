import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The members' portal: roles without portal access get the new `member` level (an admin sets
 * `none` to exclude a role again; the reserved anonymised-history role stays `none`), and the
 * emailed sign-in links.
 */
export class MemberPortalSignInPostgres1796600000000 implements MigrationInterface {
  name = 'MemberPortalSignInPostgres1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "magic_link_tokens" ("tokenHash" character varying(64) NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "expiresAt" bigint NOT NULL, "usedAt" bigint, CONSTRAINT "PK_c5f5356e8289e84fc04fef56060" PRIMARY KEY ("tokenHash"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ef4d3bf32fe070796ab4281216" ON "magic_link_tokens"  ("memberId") ',
    );
    await queryRunner.query(
      'ALTER TABLE "magic_link_tokens" ADD CONSTRAINT "FK_ef4d3bf32fe070796ab4281216d" FOREIGN KEY ("memberId") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      `UPDATE "roles" SET "portalAccess" = 'member' WHERE "portalAccess" = 'none' AND "reserved" = FALSE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "roles" SET "portalAccess" = 'none' WHERE "portalAccess" = 'member'`);
    await queryRunner.query(
      'ALTER TABLE "magic_link_tokens" DROP CONSTRAINT "FK_ef4d3bf32fe070796ab4281216d"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_ef4d3bf32fe070796ab4281216"');
    await queryRunner.query('DROP TABLE "magic_link_tokens"');
  }
}
