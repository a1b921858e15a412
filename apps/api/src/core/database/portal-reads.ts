import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SqlValue } from './sql';
import { UnitOfWork } from './unit-of-work';

/**
 * The portal's reads: lists, reports, exports, the dashboard and the system page. They never run
 * inside a transaction and may see the last committed state only. Services read through this seam,
 * never through `UnitOfWork.reader` (kept for the board path), so that portal reads can be moved off
 * the thread that answers the boards.
 */
@Injectable()
export class PortalReads {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  /** Rows of a SELECT in the hot-path dialect (`?` placeholders, double-quoted identifiers). */
  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.uow.reader.all<T>(sql, params);
  }

  /** The first row of a SELECT, if any. */
  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.uow.reader.get<T>(sql, params);
  }

  /** A TypeORM manager for reads (query builders, `find`): never for writes. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }
}
