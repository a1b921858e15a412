import { Inject, Injectable } from '@nestjs/common';
import {
  type BoardConnectionDto,
  type BoardCredentials,
  SETUP_STEPS,
  type SetupProgressDto,
  type SetupStep,
} from '@fabomatic/contracts';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { notFound } from '../../core/http/api-error';
import { boardAccountUsername } from '../../core/broker/board-accounts';
import { BrokerInfo } from '../system/broker-info';
import { boardBrokerHost } from './board-broker-host';

/**
 * Each step's test, any of its reads finding a row: EXISTS with LIMIT 1 each, so the dashboard asks
 * it on every visit at the cost of a few index lookups, whatever the size of the history (no COUNT,
 * no scan of a history table). Booleans as FALSE: SQLite (0/1) and PostgreSQL both read it.
 */
const STEP_SQL: Record<SetupStep, readonly string[]> = {
  'machine-type': ['SELECT 1 FROM "machine_types"'],
  machine: ['SELECT 1 FROM "machines"'],
  // A role for the lab's members (the admins' role alone is not one).
  role: [`SELECT 1 FROM "roles" WHERE "portalAccess" <> 'admin' AND "reserved" = FALSE`],
  // Someone who can tap: an active member with a card.
  member: [
    'SELECT 1 FROM "members" WHERE "cardUid" IS NOT NULL AND "deletedAt" IS NULL AND "disabled" = FALSE',
  ],
  // Someone may use a machine: an authorization, or a machine type open to every member.
  authorization: [
    'SELECT 1 FROM "authorizations"',
    `SELECT 1 FROM "machine_types" WHERE "accessManagement" = 'open'`,
  ],
  // A board has spoken on a machine's topic: its `alive`, or a tap (IDX_access_events_machine_occurred).
  board: [
    'SELECT 1 FROM "boards" WHERE "machineId" IS NOT NULL',
    'SELECT 1 FROM "access_events" WHERE "machineId" IS NOT NULL',
  ],
};

/** One SELECT answering every step, as columns s0, s1, … in SETUP_STEPS order. */
const PROGRESS_SQL = `SELECT ${SETUP_STEPS.map(
  (step, i) => `(${STEP_SQL[step].map((read) => `EXISTS (${read} LIMIT 1)`).join(' OR ')}) AS "s${i}"`,
).join(', ')}`;

/** The first-start checklist and the help for connecting a machine's board (issue 12). */
@Injectable()
export class SetupService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reads: PortalReads,
    private readonly broker: BrokerInfo,
  ) {}

  async progress(): Promise<SetupProgressDto> {
    const row = (await this.reads.get<Record<string, unknown>>(PROGRESS_SQL)) ?? {};
    // PostgreSQL answers booleans, SQLite 0/1.
    const steps = SETUP_STEPS.map((step, i) => ({ step, done: Boolean(Number(row[`s${i}`])) }));
    return { steps, complete: steps.every((s) => s.done) };
  }

  async boardConnection(machineId: number): Promise<BoardConnectionDto> {
    const machine = await this.reads.get<{ topicId: string }>(
      'SELECT "topicId" FROM "machines" WHERE "id" = ?',
      [machineId],
    );
    if (!machine) throw notFound('machine');
    const account = await this.reads.get<{ issuedAt: unknown }>(
      'SELECT "issuedAt" FROM "board_accounts" WHERE "topicId" = ?',
      [machine.topicId],
    );
    const { host, hostSource } = boardBrokerHost(this.config, this.broker);
    const credentials = this.credentials(account !== undefined);
    return {
      machineId,
      topicId: machine.topicId,
      topic: `${this.config.MQTT_TOPIC_ROOT}/${machine.topicId}`,
      broker: {
        host,
        hostSource,
        port: this.config.BOARD_BROKER_PORT ?? this.broker.port,
        tls: this.broker.tls,
        embedded: this.broker.embedded,
      },
      credentials,
      username:
        credentials === 'board-account'
          ? boardAccountUsername(machine.topicId)
          : credentials === 'shared'
            ? (this.config.BOARD_MQTT_USERNAME ?? null)
            : null,
      accountIssuedAt: account ? toIso(account.issuedAt) : null,
    };
  }

  private credentials(ownAccount: boolean): BoardCredentials {
    if (ownAccount) return 'board-account';
    if (this.config.BOARD_MQTT_USERNAME) return 'shared';
    if (!this.broker.embedded) return 'external-broker';
    return this.config.MQTT_ALLOW_ANONYMOUS ? 'anonymous' : 'missing';
  }
}

/** A time column as read: epoch milliseconds (a string from PostgreSQL's bigint). */
function toIso(value: unknown): string | null {
  const ms = Number(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
