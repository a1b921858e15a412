import { type INestApplication, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { SESSION_COOKIE } from '@fabomatic/contracts';
import type { NextFunction, Request, Response } from 'express';
import { Metrics } from '../metrics/metrics';
import { serveAdminSpa } from './admin-spa';
import { serveOpenApiOnDemand } from './openapi';
import { ApiErrorFilter } from './api-error.filter';
import { createValidationPipe } from './validation';

/** Everything HTTP-wide: /api prefix, security headers, body limits, validation, errors, OpenAPI. */
export function configureHttp(app: INestApplication, trustProxy: readonly string[] | false = false): void {
  const express = app as NestExpressApplication;
  express.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  const metrics = app.get(Metrics);
  express.use((request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    response.on('finish', () => {
      // The route pattern, not the URL: /api/members/:id, never one series per member.
      const route = request.route
        ? `${request.baseUrl}${String((request.route as { path: unknown }).path)}`
        : 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      metrics.httpSeconds.observe({ method: request.method, route }, (performance.now() - started) / 1000);
    });
    next();
  });
  express.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Swagger UI (at /api/docs) needs inline styles; scripts stay same-origin only.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
    }),
  );
  // The only body parsed before the guards: small JSON. Files (the database restore, the members
  // import) are read by their routes once the session and level are checked (core/http/upload.ts);
  // any other body is never read.
  express.useBodyParser('json', { limit: '100kb' });
  express.use(cookieParser());
  express.disable('x-powered-by');
  // Exact proxy addresses only (config.schema.ts): a client elsewhere cannot claim another address.
  express.set('trust proxy', trustProxy === false ? false : [...trustProxy]);
  // Loaded and built on the first request of /api/docs, not at start (core/http/openapi.ts).
  serveOpenApiOnDemand(express, {
    title: 'FabOMatic API',
    description:
      'Admin API of FabOMatic. Authenticate with POST /api/auth/login (session cookie); every ' +
      'state-changing request needs the header `X-Requested-With: fabomatic`.',
    cookie: SESSION_COOKIE,
  });
  serveAdminSpa(express);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
}
