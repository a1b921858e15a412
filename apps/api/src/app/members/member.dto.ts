import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '../../core/http/openapi';
import { MEMBER_LANGUAGES, type MemberInput, type MemberLanguage } from '@fabomatic/contracts';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  Min,
} from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';
import { QueryBoolean } from './boolean-query';
import { CardUid } from './card-uid';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerCased = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() || null : value;

export class MemberInputDto implements MemberInput {
  @ApiProperty({ maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ maxLength: 100, default: '' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  surname?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'unique when set; stored lower-case' })
  @IsOptional()
  @Transform(lowerCased)
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiProperty()
  @IsInt()
  @Min(1)
  roleId!: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'RFID card UID: 8, 14 or 20 hex chars, either case (stored lower-case); unique',
  })
  @IsOptional()
  @CardUid()
  cardUid?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  receiveWeeklySummary?: boolean;

  @ApiPropertyOptional({ enum: MEMBER_LANGUAGES, default: 'en' })
  @IsOptional()
  @IsIn(MEMBER_LANGUAGES)
  language?: MemberLanguage;
}

/** PATCH: any subset; `null` only where a value may be empty (email, card). */
export class MemberUpdateDto extends PartialType(MemberInputDto, { skipNullProperties: false }) {}

export class MemberListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  roleId?: number;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'soft-deleted members instead of active ones',
  })
  @IsOptional()
  @QueryBoolean()
  deleted?: boolean;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  hasCard?: boolean;
}

export class MemberExportQueryDto extends IntersectionType(MemberListQueryDto, ExportFormatDto) {}

/** `POST /api/members/import` (the body is the CSV file itself). */
export class MemberImportQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'only check the file: answer what would be created and every problem, write nothing',
  })
  @IsOptional()
  @QueryBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    maxLength: 100,
    description: 'the role (by name) of rows with an empty or no role column',
  })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  defaultRole?: string;
}
