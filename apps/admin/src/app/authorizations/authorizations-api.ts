import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { BulkAuthorizationInput, BulkAuthorizationResult } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const AUTHORIZATIONS_URL = '/api/authorizations';

/** The authorizations API: who may use which machine, until when. */
@Injectable({ providedIn: 'root' })
export class AuthorizationsApi {
  private readonly http = inject(HttpClient);

  /** A page of authorizations (`Page<AuthorizationDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(AUTHORIZATIONS_URL, query);
  }

  /** Authorizes several members on one machine. */
  addBulk(body: BulkAuthorizationInput): Promise<BulkAuthorizationResult> {
    return firstValueFrom(this.http.post<BulkAuthorizationResult>(`${AUTHORIZATIONS_URL}/bulk`, body));
  }

  /** A new expiry (null: never expires). */
  async setExpiry(id: number, expiresAt: string | null): Promise<void> {
    await firstValueFrom(this.http.patch(`${AUTHORIZATIONS_URL}/${id}`, { expiresAt }));
  }

  async remove(id: number): Promise<void> {
    await firstValueFrom(this.http.delete(`${AUTHORIZATIONS_URL}/${id}`));
  }
}
