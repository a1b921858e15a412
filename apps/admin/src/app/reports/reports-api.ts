import type { HttpResourceRequest } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { getRequest, type QueryParams } from '../core/api-request';

export const REPORTS_URL = '/api/reports';

/** The reports API: read-only, loaded by `httpResource`s. */
@Injectable({ providedIn: 'root' })
export class ReportsApi {
  /** Hours of use per week (`UsageByWeekReport`). */
  usageByWeekRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(`${REPORTS_URL}/usage-by-week`, query);
  }

  /** The members with the most sessions (`SessionsByMemberReport`). */
  sessionsByMemberRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(`${REPORTS_URL}/sessions-by-member`, query);
  }

  /** Sessions by weekday and hour (`BusiestHoursReport`). */
  busiestHoursRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(`${REPORTS_URL}/busiest-hours`, query);
  }

  /** Maintenance due and done (`MaintenanceReport`). */
  maintenanceRequest(): HttpResourceRequest {
    return { url: `${REPORTS_URL}/maintenance` };
  }
}
