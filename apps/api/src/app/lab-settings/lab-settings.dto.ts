import { ApiPropertyOptional } from '../../core/http/openapi';
import { LAB_NAME_MAX, type LabSettingsDto } from '@fabomatic/contracts';
import { IsBoolean, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/** `PUT /api/lab-settings`: the settings given change, the others stay. */
export class LabSettingsUpdateDto implements Partial<LabSettingsDto> {
  @ApiPropertyOptional({ description: 'shown on the kiosk screen; null or empty clears it', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(LAB_NAME_MAX)
  labName?: string | null;

  @ApiPropertyOptional({ description: 'the kiosk shows the first name of who uses a machine' })
  @IsOptional()
  @IsBoolean()
  kioskShowsFirstNames?: boolean;
}
