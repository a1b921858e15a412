import { ApiProperty, ApiPropertyOptional, IntersectionType } from '../../core/http/openapi';
import {
  AUTHORIZATION_STATES,
  type AuthorizationInput,
  type AuthorizationState,
  type AuthorizationTransitionRequest,
  type BulkAuthorizationInput,
  MAX_BULK_AUTHORIZATIONS,
} from '@fabomatic/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';
import { QueryBoolean } from '../members/boolean-query';

const EXPIRY = 'after this instant the authorization no longer grants access; null: never';

export class AuthorizationInputDto implements AuthorizationInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  memberId!: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  machineId!: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: EXPIRY })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string | null;
}

export class BulkAuthorizationInputDto implements BulkAuthorizationInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  machineId!: number;

  @ApiProperty({ type: [Number], minItems: 1, maxItems: MAX_BULK_AUTHORIZATIONS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_AUTHORIZATIONS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  memberIds!: number[];

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: EXPIRY })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string | null;
}

/** PATCH: only the expiry changes (give `null` to make it permanent). */
export class AuthorizationUpdateDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: EXPIRY })
  @ValidateIf((body: AuthorizationUpdateDto) => body.expiresAt !== null)
  @IsISO8601({ strict: true })
  expiresAt!: string | null;
}

export class AuthorizationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  memberId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  machineId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  machineTypeId?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only expired ones; false: all others' })
  @IsOptional()
  @QueryBoolean()
  expired?: boolean;

  @ApiPropertyOptional({ enum: AUTHORIZATION_STATES, description: 'the lifecycle state now' })
  @IsOptional()
  @IsIn(AUTHORIZATION_STATES)
  state?: AuthorizationState;
}

/** Renew, suspend, reinstate, revoke: a reason (required to suspend or revoke), kept in the history. */
export class AuthorizationTransitionDto implements AuthorizationTransitionRequest {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AuthorizationExportQueryDto extends IntersectionType(
  AuthorizationListQueryDto,
  ExportFormatDto,
) {}
