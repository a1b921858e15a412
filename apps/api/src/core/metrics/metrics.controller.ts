import { Controller, Get, Headers, HttpStatus, Inject, Res } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiExcludeController } from '../http/openapi';
import type { Response } from 'express';
import { Public } from '../../app/auth/auth.decorators';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ApiError } from '../http/api-error';
import { Metrics } from './metrics';

/** Prometheus scrape endpoint: counts only, no personal data; `METRICS_TOKEN` may guard it. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    if (this.config.METRICS_TOKEN && !sameSecret(authorization, `Bearer ${this.config.METRICS_TOKEN}`)) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'metrics need the bearer token');
    }
    response
      .set('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}

/** Compares in constant time (digests of equal length), so the answer's timing tells nothing. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}
