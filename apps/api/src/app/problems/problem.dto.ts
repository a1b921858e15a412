import { ApiProperty, ApiPropertyOptional } from '../../core/http/openapi';
import {
  PROBLEM_DESCRIPTION_MAX,
  PROBLEM_RESOLUTION_MAX,
  PROBLEM_SEVERITIES,
  PROBLEM_STATES,
  type MemberNotificationsDto,
  type ProblemListQuery,
  type ProblemReportInput,
  type ProblemSeverity,
  type ProblemState,
  type ResolveProblemRequest,
  type UpdateProblemRequest,
} from '@fabomatic/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { QueryBoolean } from '../members/boolean-query';

/** Multipart fields are text: `"12"`, `"true"`. */
export class ProblemReportInputDto implements ProblemReportInput {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  machineId!: number;

  @ApiProperty({ enum: PROBLEM_SEVERITIES })
  @IsIn(PROBLEM_SEVERITIES)
  severity!: ProblemSeverity;

  @ApiProperty({ maxLength: PROBLEM_DESCRIPTION_MAX })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, PROBLEM_DESCRIPTION_MAX)
  description!: string;

  @ApiPropertyOptional({ description: 'managers and admins, out-of-order only' })
  @IsOptional()
  @QueryBoolean()
  hardLock?: boolean;
}

export class ResolveProblemDto implements ResolveProblemRequest {
  @ApiProperty({ maxLength: PROBLEM_RESOLUTION_MAX })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, PROBLEM_RESOLUTION_MAX)
  resolution!: string;
}

export class UpdateProblemDto implements UpdateProblemRequest {
  @ApiProperty()
  @IsBoolean()
  hardLock!: boolean;
}

export class ProblemListQueryDto implements ProblemListQuery {
  @ApiPropertyOptional({ enum: PROBLEM_STATES })
  @IsOptional()
  @IsIn(PROBLEM_STATES)
  state?: ProblemState;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  machineId?: number;

  @ApiPropertyOptional({ enum: PROBLEM_SEVERITIES })
  @IsOptional()
  @IsIn(PROBLEM_SEVERITIES)
  severity?: ProblemSeverity;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 25, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}

export class MemberNotificationsInputDto implements MemberNotificationsDto {
  @ApiProperty()
  @IsBoolean()
  machineStatus!: boolean;
}

export class DowntimeQueryDto {
  @ApiPropertyOptional({ description: 'ISO time; default 30 days before `to`' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO time; default now' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}
