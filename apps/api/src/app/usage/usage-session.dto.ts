import { ApiProperty, ApiPropertyOptional, IntersectionType } from '../../core/http/openapi';
import type { UsageSessionInput, UsageSessionQuery, UsageSessionUpdate } from '@fabomatic/contracts';
import { IsBoolean, IsISO8601, IsInt, IsOptional, Min, ValidateIf } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { BooleanQuery, DateRangePageQueryDto, IdQuery } from './activity-query';

export class UsageSessionListQueryDto extends DateRangePageQueryDto implements UsageSessionQuery {
  @IdQuery()
  memberId?: number;

  @IdQuery()
  machineId?: number;

  @ApiPropertyOptional({ description: 'true: only open sessions; false: only closed ones' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ description: 'sessions opened or closed by a message the board replayed' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  replay?: boolean;
}

export class UsageSessionExportQueryDto extends IntersectionType(UsageSessionListQueryDto, ExportFormatDto) {}

export class UsageSessionInputDto implements UsageSessionInput {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  memberId!: number;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  machineId!: number;

  @ApiProperty({ example: '2026-01-31T09:00:00Z' })
  @IsISO8601({ strict: true })
  startedAt!: string;

  @ApiProperty({ example: '2026-01-31T11:30:00Z', description: 'after startedAt, not in the future' })
  @IsISO8601({ strict: true })
  endedAt!: string;
}

/** Absent fields stay as they are; null is refused (a closed session cannot be re-opened by hand). */
export class UsageSessionUpdateDto implements UsageSessionUpdate {
  @ApiPropertyOptional()
  @ValidateIf((_, value) => value !== undefined)
  @IsISO8601({ strict: true })
  startedAt?: string;

  @ApiPropertyOptional({ description: 'on an open session, closes it (end reason manual)' })
  @ValidateIf((_, value) => value !== undefined)
  @IsISO8601({ strict: true })
  endedAt?: string;
}
