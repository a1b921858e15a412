import { ApiProperty, IntersectionType, PartialType } from '../../core/http/openapi';
import { ACCESS_MANAGEMENT, type AccessManagement, type MachineTypeInput } from '@fabomatic/contracts';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';

/** Boards keep these in 16-bit fields. */
const MAX_MINUTES = 65535;

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

  @ApiProperty({ required: false, default: true, description: 'members may declare it out of order' })
  @IsOptional()
  @IsBoolean()
  membersMayDeclareOutOfOrder?: boolean;
}

export class MachineTypeUpdateDto extends PartialType(MachineTypeInputDto) {}

export class MachineTypeListQueryDto extends PageQueryDto {}

export class MachineTypeExportQueryDto extends IntersectionType(MachineTypeListQueryDto, ExportFormatDto) {}
