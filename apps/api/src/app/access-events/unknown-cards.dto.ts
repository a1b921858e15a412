import { ApiProperty, ApiPropertyOptional, IntersectionType } from '../../core/http/openapi';
import type { UnknownCardMemberInput } from '@fabomatic/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Length, MaxLength, Min } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';

export class UnknownCardListQueryDto extends PageQueryDto {}

export class UnknownCardExportQueryDto extends IntersectionType(UnknownCardListQueryDto, ExportFormatDto) {}

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** "New member with this card": the card comes from the path. */
export class UnknownCardMemberInputDto implements UnknownCardMemberInput {
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

  @ApiProperty()
  @IsInt()
  @Min(1)
  roleId!: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() || null : value,
  )
  @IsEmail()
  @MaxLength(254)
  email?: string | null;
}
