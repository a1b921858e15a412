import type { HttpResourceRequest } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { getRequest, type QueryParams } from '../core/api-request';

export const ACCESS_EVENTS_URL = '/api/access-events';

/** The access events API (read-only): every card at every board. */
@Injectable({ providedIn: 'root' })
export class AccessEventsApi {
  /** A page of access events (`Page<AccessEventDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(ACCESS_EVENTS_URL, query);
  }
}
