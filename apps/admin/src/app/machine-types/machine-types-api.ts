import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { MachineTypeDto, MachineTypeInput } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const MACHINE_TYPES_URL = '/api/machine-types';

/** The machine types API. */
@Injectable({ providedIn: 'root' })
export class MachineTypesApi {
  private readonly http = inject(HttpClient);

  /** A page of machine types (`Page<MachineTypeDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(MACHINE_TYPES_URL, query);
  }

  get(id: number | string): Promise<MachineTypeDto> {
    return firstValueFrom(this.http.get<MachineTypeDto>(`${MACHINE_TYPES_URL}/${id}`));
  }

  create(body: MachineTypeInput): Promise<MachineTypeDto> {
    return firstValueFrom(this.http.post<MachineTypeDto>(MACHINE_TYPES_URL, body));
  }

  update(id: number | string, body: MachineTypeInput): Promise<MachineTypeDto> {
    return firstValueFrom(this.http.patch<MachineTypeDto>(`${MACHINE_TYPES_URL}/${id}`, body));
  }
}
