import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  Page,
  UsageSessionDeleted,
  UsageSessionDto,
  UsageSessionInput,
  UsageSessionUpdate,
} from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const USAGE_URL = '/api/usage';

/** The usage API: machine sessions, recorded by boards or entered by staff. */
@Injectable({ providedIn: 'root' })
export class UsageApi {
  private readonly http = inject(HttpClient);

  /** A page of sessions (`Page<UsageSessionDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(USAGE_URL, query);
  }

  list(query: QueryParams): Promise<Page<UsageSessionDto>> {
    return firstValueFrom(this.http.get<Page<UsageSessionDto>>(USAGE_URL, { params: { ...query } }));
  }

  create(body: UsageSessionInput): Promise<UsageSessionDto> {
    return firstValueFrom(this.http.post<UsageSessionDto>(USAGE_URL, body));
  }

  update(id: number, body: UsageSessionUpdate): Promise<UsageSessionDto> {
    return firstValueFrom(this.http.patch<UsageSessionDto>(`${USAGE_URL}/${id}`, body));
  }

  remove(id: number): Promise<UsageSessionDeleted> {
    return firstValueFrom(this.http.delete<UsageSessionDeleted>(`${USAGE_URL}/${id}`));
  }
}
