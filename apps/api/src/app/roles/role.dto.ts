import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '../../core/http/openapi';
import { PORTAL_ACCESS_LEVELS, type PortalAccess, type RoleInput } from '@fabomatic/contracts';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';

export class RoleInputDto implements RoleInput {
  @ApiProperty()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ description: 'may use every machine, blocked ones included (board level 3)' })
  @IsBoolean()
  authorizeAll!: boolean;

  @ApiProperty({ description: 'may record maintenance (board level 2)' })
  @IsBoolean()
  maintenance!: boolean;

  @ApiProperty({ enum: PORTAL_ACCESS_LEVELS })
  @IsIn(PORTAL_ACCESS_LEVELS)
  portalAccess!: PortalAccess;
}

export class RoleUpdateDto extends PartialType(RoleInputDto) {}

export class RoleListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PORTAL_ACCESS_LEVELS })
  @IsOptional()
  @IsIn(PORTAL_ACCESS_LEVELS)
  portalAccess?: PortalAccess;
}

export class RoleExportQueryDto extends IntersectionType(RoleListQueryDto, ExportFormatDto) {}
