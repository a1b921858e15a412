import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Min } from 'class-validator';
import { ExportFormatDto } from '../../core/http/export';
import { ApiProperty } from '../../core/http/openapi';
import { InstantQuery } from '../usage/activity-query';

/** `?from&to` of the certification report: the trainings' span (lab-local dates, both included). */
export class CertificationReportQueryDto {
  @InstantQuery('first day of the trainings counted (a lab-local date); default 12 months ago')
  from?: string;

  @InstantQuery('last day of the trainings counted (a lab-local date, included); default today')
  to?: string;
}

export class RenewAuthorizationsDto {
  @ApiProperty({ type: [Number], description: 'the authorizations to renew: all of them, or none' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Type(() => Number)
  @IsInt({ each: true })
  @Min(1, { each: true })
  ids!: number[];
}

export class CertificationExportQueryDto extends ExportFormatDto {}
