import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '../../core/http/openapi';
import { isValidTopicId } from '@fabomatic/board-protocol';
import type { MachineInput } from '@fabomatic/contracts';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';
import { QueryBoolean } from './delete-confirmation';

/** Hour meters beyond this are typing mistakes (over a century of continuous use). */
const MAX_USAGE_HOURS = 1_000_000;

const IsTopicId = () =>
  ValidateBy({
    name: 'isTopicId',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidTopicId(value),
      defaultMessage: () => 'topicId must be 1 to 5 digits, 0..65535, as typed on the board',
    },
  });

export class MachineInputDto implements MachineInput {
  @ApiProperty({ example: '012', description: "the board's topic id, digits as typed (0..65535)" })
  @IsTopicId()
  topicId!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null: no type' })
  @IsOptional()
  @IsInt()
  typeId?: number | null;

  @ApiPropertyOptional({ description: 'blocked: the board refuses everyone, "authorize all" roles included' })
  @IsOptional()
  @IsBoolean()
  blocked?: boolean;

  @ApiPropertyOptional({ minimum: 0, description: 'the hour meter' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_USAGE_HOURS)
  usageHours?: number;
}

export class MachineUpdateDto extends PartialType(MachineInputDto) {}

export class MachineListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'machines of this type' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  typeId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  blocked?: boolean;

  @ApiPropertyOptional({ description: 'true: only retired machines; otherwise only machines in service' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  retired?: boolean;
}

export class MachineExportQueryDto extends IntersectionType(MachineListQueryDto, ExportFormatDto) {}
