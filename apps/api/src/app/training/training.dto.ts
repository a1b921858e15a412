import { ApiProperty, ApiPropertyOptional } from '../../core/http/openapi';
import {
  type SupervisedStartInput,
  TRAINING_REQUEST_STATES,
  type TrainingOutcome,
  type TrainingOutcomesInput,
  type TrainingRequestInput,
  type TrainingRequestQuery,
  type TrainingRequestState,
  type TrainingSessionInput,
  type TrainingSessionQuery,
  type TrainingSessionUpdate,
} from '@fabomatic/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Trainees of one session at most (a capacity above this is a typing mistake). */
export const MAX_TRAINEES = 100;
const RESULTS = ['qualified', 'not-qualified', 'absent'] as const;

export class TrainingRequestInputDto implements TrainingRequestInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  machineTypeId!: number;

  @ApiPropertyOptional({ maxLength: 500, description: 'what the member wants to do, when they are free' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class TrainingRequestQueryDto implements TrainingRequestQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  machineTypeId?: number;

  @ApiPropertyOptional({ enum: TRAINING_REQUEST_STATES, description: 'default: open and planned' })
  @IsOptional()
  @IsIn(TRAINING_REQUEST_STATES)
  state?: TrainingRequestState;
}

export class TrainingSessionInputDto implements TrainingSessionInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  machineTypeId!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  place!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_TRAINEES })
  @IsInt()
  @Min(1)
  @Max(MAX_TRAINEES)
  capacity!: number;

  @ApiProperty({ type: [Number], maxItems: MAX_TRAINEES })
  @IsArray()
  @ArrayMaxSize(MAX_TRAINEES)
  @IsInt({ each: true })
  @Min(1, { each: true })
  memberIds!: number[];

  @ApiPropertyOptional({ description: 'a trainer of the type (managers and admins; default: themselves)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  trainerId?: number;
}

export class TrainingSessionUpdateDto implements TrainingSessionUpdate {
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  place?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TRAINEES })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TRAINEES)
  capacity?: number;

  @ApiPropertyOptional({ type: [Number], maxItems: MAX_TRAINEES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TRAINEES)
  @IsInt({ each: true })
  @Min(1, { each: true })
  memberIds?: number[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  trainerId?: number;
}

export class TrainingSessionQueryDto implements TrainingSessionQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  machineTypeId?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class TraineeOutcomeDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  memberId!: number;

  @ApiProperty({ enum: RESULTS })
  @IsIn(RESULTS)
  outcome!: Exclude<TrainingOutcome, 'pending'>;
}

export class TrainingOutcomesInputDto implements TrainingOutcomesInput {
  @ApiProperty({ type: [TraineeOutcomeDto] })
  @IsArray()
  @ArrayMaxSize(MAX_TRAINEES)
  @ValidateNested({ each: true })
  @Type(() => TraineeOutcomeDto)
  outcomes!: TraineeOutcomeDto[];

  @ApiProperty({ type: [Number], description: 'machines of the type the qualified trainees are granted' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  @Min(1, { each: true })
  machineIds!: number[];
}

export class SupervisedStartInputDto implements SupervisedStartInput {
  @ApiProperty({ description: 'the trainee whose card the board logs in with' })
  @IsInt()
  @Min(1)
  traineeId!: number;
}
