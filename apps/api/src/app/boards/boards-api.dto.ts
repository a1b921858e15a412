import { ApiProperty, ApiPropertyOptional, IntersectionType } from '../../core/http/openapi';
import type { BoardBindInput } from '@fabomatic/contracts';
import { IsBoolean, IsInt, IsOptional } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { PageQueryDto } from '../../core/http/paging';
import { QueryBoolean } from '../machines/delete-confirmation';

export class BoardListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: boards a machine has; false: unassigned boards' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  assigned?: boolean;
}

export class BoardExportQueryDto extends IntersectionType(BoardListQueryDto, ExportFormatDto) {}

export class BoardBindDto implements BoardBindInput {
  @ApiProperty({ description: "the machine that takes the board's topic id" })
  @IsInt()
  machineId!: number;

  @ApiPropertyOptional({
    description: 'the machine has another board: disconnect it (else 409 MACHINE_HAS_BOARD)',
  })
  @IsOptional()
  @IsBoolean()
  replace?: boolean;
}
