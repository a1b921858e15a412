import { ApiPropertyOptional, IntersectionType } from '../../core/http/openapi';
import { normalizeCardUid } from '@fabomatic/board-protocol';
import {
  ACCESS_ACTIONS,
  ACCESS_REASONS,
  type AccessAction,
  type AccessEventQuery,
  type AccessReason,
} from '@fabomatic/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { BooleanQuery, DateRangePageQueryDto, IdQuery } from '../usage/activity-query';

export class AccessEventListQueryDto extends DateRangePageQueryDto implements AccessEventQuery {
  @IdQuery()
  machineId?: number;

  @IdQuery()
  memberId?: number;

  @ApiPropertyOptional({ description: '8, 14 or 20 hex characters, either case' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (normalizeCardUid(value) ?? value) : value,
  )
  @Matches(/^(?:[0-9a-f]{8}|[0-9a-f]{14}|[0-9a-f]{20})$/, {
    message: 'cardUid must be 8, 14 or 20 hex characters',
  })
  cardUid?: string;

  @ApiPropertyOptional({ enum: ACCESS_REASONS })
  @IsOptional()
  @IsIn(ACCESS_REASONS)
  reason?: AccessReason;

  @ApiPropertyOptional()
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  granted?: boolean;

  @ApiPropertyOptional({ enum: ACCESS_ACTIONS })
  @IsOptional()
  @IsIn(ACCESS_ACTIONS)
  action?: AccessAction;
}

export class AccessEventExportQueryDto extends IntersectionType(AccessEventListQueryDto, ExportFormatDto) {}
