import { ApiPropertyOptional } from '../../core/http/openapi';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsTimeZone, Max, Min } from 'class-validator';
import { IdQuery, InstantQuery } from '../usage/activity-query';

/** `?from&to&tz` of every report: `[from, to)`, default the last 365 days, counted in `tz`. */
export class ReportRangeQueryDto {
  @InstantQuery('start (inclusive); default 365 days before to')
  from?: string;

  @InstantQuery('end (exclusive; a date alone includes its day); default now')
  to?: string;

  @ApiPropertyOptional({ description: 'IANA time zone for weeks, weekdays and hours', default: 'UTC' })
  @IsOptional()
  @IsTimeZone()
  tz?: string;
}

export class MachineReportQueryDto extends ReportRangeQueryDto {
  @IdQuery()
  machineId?: number;
}

export class SessionsByMemberQueryDto extends MachineReportQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10, description: 'how many members' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
