import { Injectable, Logger } from '@nestjs/common';
import { MY_DATA_DATASETS, type MyDataDataset } from '@fabomatic/contracts';
import type { Response } from 'express';
import { PortalReads } from '../../core/database/portal-reads';
import { notFound } from '../../core/http/api-error';
import {
  type ExportColumn,
  type ExportRows,
  ExportStreams,
  keysetQuery,
  rawRows,
} from '../../core/http/export';
import { Clock } from '../../core/time/clock';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { authorizationState, MyDataService } from './my-data.service';

/** One record of a dataset, ready for JSON (and, column by column, for CSV). */
type Json = string | number | boolean | null | { readonly [key: string]: Json } | readonly Json[];
type DataRecord = Readonly<Record<string, Json>>;

/**
 * One dataset of the right of access: the same records in `data.json` and in its CSV. A further
 * dataset (problem reports, once their table exists) is one more entry of {@link MyDataAccessService}'s
 * `datasets()` and one more name in `MY_DATA_DATASETS`.
 */
interface Dataset {
  readonly name: MyDataDataset;
  readonly columns: readonly string[];
  rows(member: Member): ExportRows<DataRecord>;
}

const time = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : new Date(Number(value)).toISOString();
const bool = (value: unknown) => value === true || value === 1 || value === '1';
const parsed = (text: unknown): Json => {
  if (text === null || text === undefined) return null;
  if (typeof text !== 'string') return text as Json;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
};

/** A JSON value in a CSV cell: text as it is, objects as their JSON. */
const cell = (value: Json | undefined): string | number | boolean | null =>
  value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : value;

const isDataset = (name: string): name is MyDataDataset =>
  (MY_DATA_DATASETS as readonly string[]).includes(name);

const logger = new Logger('MyDataAccess');

/**
 * GDPR right of access: everything stored about the signed-in member, read a chunk at a time (their
 * sessions and access events may be many) and written to the response as it is read.
 */
@Injectable()
export class MyDataAccessService {
  constructor(
    private readonly reads: PortalReads,
    private readonly exports: ExportStreams,
    private readonly mine: MyDataService,
    private readonly clock: Clock,
  ) {}

  /** `data.json`: one object, a key per dataset (the profile an object, the others arrays). */
  async json(memberId: number, response: Response): Promise<void> {
    const member = await this.member(memberId);
    const datasets = this.datasets();
    let gone = response.destroyed;
    const onClose = () => {
      if (!response.writableFinished) gone = true;
    };
    response.on('close', onClose);
    const write = async (text: string) => {
      if (gone) throw new Error('client disconnected');
      if (response.write(text)) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    };
    const stamp = this.clock.now().toISOString();
    response
      .status(200)
      .set('content-type', 'application/json; charset=utf-8')
      .set('content-disposition', `attachment; filename="my-data-${stamp.slice(0, 10)}.json"`)
      .set('x-accel-buffering', 'no')
      .set('cache-control', 'no-store');
    try {
      await write(`{"generatedAt":${JSON.stringify(stamp)}`);
      for (const dataset of datasets) {
        const single = dataset.name === 'profile';
        await write(`,${JSON.stringify(dataset.name)}:${single ? '' : '['}`);
        let first = true;
        for await (const chunk of dataset.rows(member)) {
          let text = '';
          for (const record of chunk) {
            text += (first ? '' : ',') + JSON.stringify(record);
            first = false;
          }
          await write(text);
          // Between chunks the board replies and other requests get their turn.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        await write(single ? (first ? 'null' : '') : ']');
      }
      await write('}\n');
      response.end();
    } catch (error) {
      if (!gone) logger.error(`data.json failed mid-stream: ${String(error)}`);
      // Without the end the client sees a failed download, never a short file.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      response.off('close', onClose);
    }
  }

  /** One dataset as CSV (`profile`, `sessions`, …), streamed like the staff exports. */
  async csv(memberId: number, name: string, response: Response): Promise<void> {
    if (!isDataset(name)) throw notFound('dataset');
    const member = await this.member(memberId);
    const dataset = this.datasets().find((d) => d.name === name);
    if (!dataset) throw notFound('dataset');
    const columns: ExportColumn<DataRecord>[] = dataset.columns.map((key) => ({
      header: key,
      value: (record) => cell(record[key]),
    }));
    await this.exports.send(response, 'csv', `my-${name}`, columns, dataset.rows(member));
  }

  private async member(memberId: number): Promise<Member> {
    const member = await this.reads.manager.findOne(Member, {
      where: { id: memberId },
      relations: { role: true },
    });
    if (!member) throw notFound('member');
    return member;
  }

  /** The datasets, in the order of `data.json`. */
  private datasets(): readonly Dataset[] {
    const chunkRows = this.exports.chunkRows;
    const em = this.reads.manager;
    const now = this.clock.now().getTime();
    return [
      {
        name: 'profile',
        columns: [
          'id',
          'name',
          'surname',
          'email',
          'cardUid',
          'role',
          'portalAccess',
          'authorizeAll',
          'maintenance',
          'disabled',
          'language',
          'receiveWeeklySummary',
          'createdAt',
          'updatedAt',
        ],
        // Never the password hash: only these fields.
        async *rows(member) {
          yield [
            {
              id: member.id,
              name: member.name,
              surname: member.surname,
              email: member.email,
              cardUid: member.cardUid,
              role: member.role?.name ?? null,
              portalAccess: member.role?.portalAccess ?? null,
              authorizeAll: member.role?.authorizeAll ?? false,
              maintenance: member.role?.maintenance ?? false,
              disabled: member.disabled,
              language: member.language,
              receiveWeeklySummary: member.receiveWeeklySummary,
              createdAt: member.createdAt.toISOString(),
              updatedAt: member.updatedAt.toISOString(),
            },
          ];
        },
      },
      {
        name: 'authorizations',
        columns: ['id', 'machine', 'since', 'expiresAt', 'state'],
        async *rows(member) {
          const rows = (await em.find(Authorization, {
            where: { memberId: member.id },
            relations: { machine: true },
            order: { id: 'ASC' },
          })) as (Authorization & { machine: Machine })[];
          const authorizeAll = member.role?.authorizeAll ?? false;
          yield rows.map((a) => ({
            id: a.id,
            machine: a.machine.name,
            since: a.createdAt.toISOString(),
            expiresAt: a.expiresAt?.toISOString() ?? null,
            state: authorizationState(a.machine, a.expiresAt, authorizeAll, now),
          }));
        },
      },
      {
        name: 'sessions',
        columns: ['id', 'machine', 'startedAt', 'endedAt', 'durationSeconds', 'endReason', 'replay'],
        rows: (member) =>
          mapRows(
            keysetQuery(
              () =>
                this.mine
                  .sessionsOf(member.id, {})
                  .leftJoin(Machine, 'machine', 'machine.id = s."machineId"')
                  .select([
                    's.id AS "id"',
                    'machine.name AS "machine"',
                    's."startedAt" AS "startedAt"',
                    's."endedAt" AS "endedAt"',
                    's."endReason" AS "endReason"',
                    's.replay AS "replay"',
                  ]),
              { keys: ['s."startedAt"'], id: 's.id', direction: 'ASC' },
              chunkRows,
              rawRows<Record<string, unknown>>,
            ),
            (r) => ({
              id: Number(r['id']),
              machine: (r['machine'] as string | null) ?? null,
              startedAt: time(r['startedAt'] as string),
              endedAt: time(r['endedAt'] as string | null),
              durationSeconds:
                r['endedAt'] === null
                  ? null
                  : Math.round((Number(r['endedAt']) - Number(r['startedAt'])) / 1000),
              endReason: (r['endReason'] as string | null) ?? null,
              replay: bool(r['replay']),
            }),
          ),
      },
      {
        name: 'access-events',
        columns: ['id', 'occurredAt', 'machine', 'cardUid', 'action', 'reason', 'granted', 'count', 'replay'],
        rows: (member) =>
          mapRows(
            keysetQuery(
              () =>
                this.mine
                  .eventsAbout(member)
                  .leftJoin(Machine, 'machine', 'machine.id = e."machineId"')
                  .select([
                    'e.id AS "id"',
                    'e."occurredAt" AS "occurredAt"',
                    'machine.name AS "machine"',
                    'e."cardUid" AS "cardUid"',
                    'e.action AS "action"',
                    'e.reason AS "reason"',
                    'e.granted AS "granted"',
                    'e.count AS "count"',
                    'e.replay AS "replay"',
                  ]),
              { keys: ['e."occurredAt"'], id: 'e.id', direction: 'ASC' },
              chunkRows,
              rawRows<Record<string, unknown>>,
            ),
            (r) => ({
              id: Number(r['id']),
              occurredAt: time(r['occurredAt'] as string),
              machine: (r['machine'] as string | null) ?? null,
              cardUid: (r['cardUid'] as string | null) ?? null,
              action: r['action'] as string,
              reason: r['reason'] as string,
              granted: bool(r['granted']),
              count: Number(r['count']),
              replay: bool(r['replay']),
            }),
          ),
      },
      {
        name: 'audit',
        columns: ['id', 'occurredAt', 'actor', 'action', 'entityType', 'entityId', 'before', 'after'],
        async *rows(member) {
          // Changes to the member's record and to their authorizations (index entityType, entityId).
          const authorizationIds = (
            await em.find(Authorization, { where: { memberId: member.id }, select: { id: true } })
          ).map((a) => String(a.id));
          yield* mapRows(
            keysetQuery(
              () => {
                const mine = `(x."entityType" = 'member' AND x."entityId" = :me)`;
                const theirs = `(x."entityType" = 'authorization' AND x."entityId" IN (:...ids))`;
                return em
                  .createQueryBuilder(AuditEntry, 'x')
                  .where(authorizationIds.length > 0 ? `(${mine} OR ${theirs})` : mine, {
                    me: String(member.id),
                    ids: authorizationIds,
                  })
                  .select([
                    'x.id AS "id"',
                    'x."occurredAt" AS "occurredAt"',
                    'x."actorLabel" AS "actor"',
                    'x.action AS "action"',
                    'x."entityType" AS "entityType"',
                    'x."entityId" AS "entityId"',
                    'x.before AS "before"',
                    'x.after AS "after"',
                  ]);
              },
              { keys: ['x."occurredAt"'], id: 'x.id', direction: 'ASC' },
              chunkRows,
              rawRows<Record<string, unknown>>,
            ),
            (r) => ({
              id: Number(r['id']),
              occurredAt: time(r['occurredAt'] as string),
              actor: r['actor'] as string,
              action: r['action'] as string,
              entityType: r['entityType'] as string,
              entityId: (r['entityId'] as string | null) ?? null,
              before: parsed(r['before']),
              after: parsed(r['after']),
            }),
          );
        },
      },
    ];
  }
}

async function* mapRows(
  rows: ExportRows<Record<string, unknown>>,
  map: (row: Record<string, unknown>) => DataRecord,
): AsyncGenerator<readonly DataRecord[]> {
  for await (const chunk of rows) yield chunk.map(map);
}
