import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '../../core/http/openapi';
import type { MaintenancePlanInput } from '@fabomatic/contracts';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Length,
  Max,
  MaxLength,
} from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';

export class MaintenancePlanInputDto implements MaintenancePlanInput {
  @ApiProperty()
  @IsInt()
  machineId!: number;

  @ApiProperty({ description: 'hours of use between two interventions (> 0)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(1_000_000)
  hoursBetween!: number;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  description!: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'shown on the board while due (16 ASCII chars sent)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lcdMessage?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(500)
  instructionsUrl?: string | null;
}

export class MaintenancePlanUpdateDto extends PartialType(MaintenancePlanInputDto) {}

export class MaintenancePlanListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  machineId?: number;
}

export class MaintenancePlanExportQueryDto extends IntersectionType(
  MaintenancePlanListQueryDto,
  ExportFormatDto,
) {}
