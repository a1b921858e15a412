import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '../../core/http/openapi';
import {
  ACCESS_MANAGEMENT,
  type AccessManagement,
  MAX_REMINDER_STEPS,
  type MachineTypeInput,
} from '@fabomatic/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';

/** Boards keep these in 16-bit fields. */
const MAX_MINUTES = 65535;
/** Certification policy days: up to ten years. */
const MAX_POLICY_DAYS = 3650;

export class MachineTypeInputDto implements MachineTypeInput {
  @ApiProperty()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_MINUTES, description: 'auto-logoff sent to boards; 0 = off' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  autoLogoffMinutes!: number;

  @ApiProperty({ minimum: 0, maximum: MAX_MINUTES, description: 'minutes the relay stays on after logout' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  graceMinutes!: number;

  @ApiProperty({ enum: ACCESS_MANAGEMENT })
  @IsIn(ACCESS_MANAGEMENT)
  accessManagement!: AccessManagement;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_POLICY_DAYS,
    description: 'days an authorization is valid from its grant or renewal; null: no limit',
  })
  @IsOptional()
  @ValidateIf((body: MachineTypeInputDto) => body.validityDays !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_POLICY_DAYS)
  validityDays?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_POLICY_DAYS,
    description: 'days without a session on a machine of the type after which it expires; null: never',
  })
  @IsOptional()
  @ValidateIf((body: MachineTypeInputDto) => body.decayDays !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_POLICY_DAYS)
  decayDays?: number | null;

  @ApiPropertyOptional({
    type: [Number],
    maxItems: MAX_REMINDER_STEPS,
    description: 'days before expiry when the member is reminded, e.g. [30, 7, 1]',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REMINDER_STEPS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_POLICY_DAYS, { each: true })
  reminderDays?: number[];

  @ApiProperty({ required: false, default: true, description: 'members may declare it out of order' })
  @IsOptional()
  @IsBoolean()
  membersMayDeclareOutOfOrder?: boolean;
}

export class MachineTypeUpdateDto extends PartialType(MachineTypeInputDto) {}

export class MachineTypeListQueryDto extends PageQueryDto {}

export class MachineTypeExportQueryDto extends IntersectionType(MachineTypeListQueryDto, ExportFormatDto) {}
