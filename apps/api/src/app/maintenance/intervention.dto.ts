import { ApiProperty, ApiPropertyOptional, IntersectionType } from '../../core/http/openapi';
import type { InterventionInput } from '@fabomatic/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';

export class InterventionInputDto implements InterventionInput {
  @ApiProperty()
  @IsInt()
  machineId!: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: "one of the machine's plans" })
  @IsOptional()
  @IsInt()
  planId?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'who did it' })
  @IsOptional()
  @IsInt()
  memberId?: number | null;

  @ApiPropertyOptional({ description: 'ISO time, not in the future; now when omitted' })
  @IsOptional()
  @IsISO8601({ strict: true })
  performedAt?: string;
}

export class InterventionListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  machineId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  planId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  memberId?: number;

  @ApiPropertyOptional({ description: 'performed at or after (ISO date or time)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'performed before (ISO time); a date includes that whole day' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class InterventionExportQueryDto extends IntersectionType(InterventionListQueryDto, ExportFormatDto) {}
