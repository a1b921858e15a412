import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { hasAccess } from '@fabomatic/contracts';
import { type Observable, finalize } from 'rxjs';
import { PortalReads } from '../../core/database/portal-reads';
import type { AuthenticatedRequest } from '../auth/session-user';
import { SettledWeeks } from './settled-weeks';

/** Methods that change nothing. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Staff browsing the portal (read-only access or more, signed in): the reader thread that reports
 * and exports use is started ahead, so that opening a report does not wait for its start
 * (`PortalReads.warmReportReader`), and the weekly report's settled weeks are read into memory
 * (`SettledWeeks`), and read again after a request that may have changed them. Members' own pages,
 * kiosks and public routes start nothing.
 */
@Injectable()
export class ReportReaderWarmup implements NestInterceptor {
  constructor(
    private readonly reads: PortalReads,
    private readonly settledWeeks: SettledWeeks,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const { user, method } = context.switchToHttp().getRequest<AuthenticatedRequest>();
      if (user && hasAccess(user.access, 'read-only')) {
        this.reads.warmReportReader();
        this.settledWeeks.warm();
        if (!READS.has(method)) return next.handle().pipe(finalize(() => this.settledWeeks.refresh()));
      }
    }
    return next.handle();
  }
}
