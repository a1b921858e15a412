import { ApiPropertyOptional, IntersectionType } from '../../core/http/openapi';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';

export class AuditListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'member' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ description: 'the member id of who acted' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  actor?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'from this instant (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'before this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditExportQueryDto extends IntersectionType(AuditListQueryDto, ExportFormatDto) {}
