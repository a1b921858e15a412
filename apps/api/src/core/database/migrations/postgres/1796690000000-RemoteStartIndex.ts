import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A partial index of the access log's remote starts: a board's `startuse` asks whether a trainer just
 * started the machine for this member (a supervised first use). Without it that look-up walked every
 * access event of the machine in the last two minutes, the board path's costliest read under load.
 * Only remote starts enter it, so the other inserts pay nothing for it.
 */
export class RemoteStartIndexPostgres1796690000000 implements MigrationInterface {
  name = 'RemoteStartIndexPostgres1796690000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_access_events_remote_start" ON "access_events" ("machineId", "memberId", "occurredAt") WHERE "action" = 'remote-start'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_access_events_remote_start"');
  }
}
