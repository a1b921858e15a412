import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { packageRoot } from '../version';

const NOT_SPA = /^\/(api|health|ready|metrics)(\/|$)/;

/**
 * Serves the built admin portal (dist/apps/admin/browser) on the same origin as the API: files as
 * they are, every other page GET answered with index.html so the SPA's routes work on reload.
 */
export function serveAdminSpa(app: NestExpressApplication): boolean {
  const root = packageRoot();
  const dir = root ? join(root, 'dist', 'apps', 'admin', 'browser') : null;
  if (!dir || !existsSync(join(dir, 'index.html'))) return false;
  app.useStaticAssets(dir, { index: false, maxAge: '1h', setHeaders: noCacheForIndex });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || NOT_SPA.test(request.path) || !request.accepts('html')) return next();
    response.set('cache-control', 'no-cache').sendFile(join(dir, 'index.html'));
  });
  return true;
}

function noCacheForIndex(response: Response, path: string): void {
  if (path.endsWith('.html') || path.endsWith('.json')) response.set('cache-control', 'no-cache');
}
