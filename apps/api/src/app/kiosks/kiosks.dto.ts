import { ApiProperty } from '../../core/http/openapi';
import { KIOSK_NAME_MAX, type KioskInput } from '@fabomatic/contracts';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

export class KioskInputDto implements KioskInput {
  @ApiProperty({ description: 'where the screen is, e.g. "Hall TV"', maxLength: KIOSK_NAME_MAX })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, KIOSK_NAME_MAX)
  name!: string;
}
