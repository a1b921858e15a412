import type { HttpResourceRequest } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { getRequest, type QueryParams } from '../core/api-request';

export const AUDIT_URL = '/api/audit';

/** The audit trail API (read-only). */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  /** A page of audit entries (`Page<AuditEntryDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(AUDIT_URL, query);
  }
}
