import { IntersectionType } from '../../core/http/openapi';
import type { MySessionQuery } from '@fabomatic/contracts';
import { ExportFormatDto } from '../../core/http/export';
import { DateRangePageQueryDto, IdQuery } from '../usage/activity-query';

/** `GET /api/me/sessions`: the range overlapping the sessions, one machine, keyset paging. */
export class MySessionQueryDto extends DateRangePageQueryDto implements MySessionQuery {
  @IdQuery()
  machineId?: number;
}

export class MySessionExportQueryDto extends IntersectionType(MySessionQueryDto, ExportFormatDto) {}

/** `GET /api/me/refused`: keyset paging, newest first. */
export class MyRefusedQueryDto extends DateRangePageQueryDto {}
