import { ApiProperty, ApiPropertyOptional } from '../../core/http/openapi';
import type { TrainerInput } from '@fabomatic/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { QueryBoolean } from '../members/boolean-query';

export class TrainerInputDto implements TrainerInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  memberId!: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  machineTypeId!: number;
}

export class TrainerListQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  machineTypeId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  memberId?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'also the ended trainer grants' })
  @IsOptional()
  @QueryBoolean()
  includeRevoked?: boolean;
}
