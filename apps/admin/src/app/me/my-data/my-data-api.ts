import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { MyAuthorizationsDto, MyDataDataset } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../../core/api-request';

/** The member's own data: always the signed-in user's (the API takes no member id). */
export const MY_URL = '/api/me';
export const MY_SESSIONS_URL = `${MY_URL}/sessions`;
export const MY_REFUSED_URL = `${MY_URL}/refused`;
export const MY_DATA_JSON_URL = `${MY_URL}/data.json`;
export const myDataCsvUrl = (dataset: MyDataDataset) => `${MY_URL}/data/${dataset}.csv`;

/** The members' portal reads of their standing, sessions and refused taps. */
@Injectable({ providedIn: 'root' })
export class MyDataApi {
  private readonly http = inject(HttpClient);

  /** The member's standing (`MyAuthorizationsDto`), for an `httpResource`. */
  authorizationsRequest(): HttpResourceRequest {
    return getRequest(`${MY_URL}/authorizations`, {});
  }

  authorizations(): Promise<MyAuthorizationsDto> {
    return firstValueFrom(this.http.get<MyAuthorizationsDto>(`${MY_URL}/authorizations`));
  }

  /** A page of the member's sessions (`MySessionPage`), for an `httpResource`. */
  sessionsRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(MY_SESSIONS_URL, query);
  }

  /** A page of the member's refused taps (`Page<MyRefusedTapDto>`), for an `httpResource`. */
  refusedRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(MY_REFUSED_URL, query);
  }
}
