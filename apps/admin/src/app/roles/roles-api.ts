import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { RoleDto, RoleInput } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const ROLES_URL = '/api/roles';

/** The roles API. */
@Injectable({ providedIn: 'root' })
export class RolesApi {
  private readonly http = inject(HttpClient);

  /** A page of roles (`Page<RoleDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(ROLES_URL, query);
  }

  get(id: number | string): Promise<RoleDto> {
    return firstValueFrom(this.http.get<RoleDto>(`${ROLES_URL}/${id}`));
  }

  create(body: RoleInput): Promise<RoleDto> {
    return firstValueFrom(this.http.post<RoleDto>(ROLES_URL, body));
  }

  update(id: number | string, body: RoleInput): Promise<RoleDto> {
    return firstValueFrom(this.http.patch<RoleDto>(`${ROLES_URL}/${id}`, body));
  }

  async remove(id: number | string): Promise<void> {
    await firstValueFrom(this.http.delete(`${ROLES_URL}/${id}`));
  }
}
