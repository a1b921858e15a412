import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  BoardConnectionDto,
  MachineDto,
  MachineInput,
  MachineRetireResult,
  MachineStatusDto,
  RemoteCommand,
} from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const MACHINES_URL = '/api/machines';

/** The machines API: the list, one machine, its live status, remote commands and retirement. */
@Injectable({ providedIn: 'root' })
export class MachinesApi {
  private readonly http = inject(HttpClient);

  /** A page of machines (`Page<MachineDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(MACHINES_URL, query);
  }

  get(id: number | string): Promise<MachineDto> {
    return firstValueFrom(this.http.get<MachineDto>(`${MACHINES_URL}/${id}`));
  }

  create(body: MachineInput): Promise<MachineDto> {
    return firstValueFrom(this.http.post<MachineDto>(MACHINES_URL, body));
  }

  update(id: number | string, body: MachineInput): Promise<MachineDto> {
    return firstValueFrom(this.http.patch<MachineDto>(`${MACHINES_URL}/${id}`, body));
  }

  /** Every machine's status card (the dashboard). */
  statuses(): Promise<MachineStatusDto[]> {
    return firstValueFrom(this.http.get<MachineStatusDto[]>(`${MACHINES_URL}/status`));
  }

  status(id: number | string): Promise<MachineStatusDto> {
    return firstValueFrom(this.http.get<MachineStatusDto>(`${MACHINES_URL}/${id}/status`));
  }

  /** How to connect the machine's board (staff only). */
  boardConnection(id: number | string): Promise<BoardConnectionDto> {
    return firstValueFrom(this.http.get<BoardConnectionDto>(`${MACHINES_URL}/${id}/board-connection`));
  }

  /** A remote start or stop, sent to the machine's board. */
  async command(id: number | string, command: RemoteCommand): Promise<void> {
    await firstValueFrom(this.http.post(`${MACHINES_URL}/${id}/${command}`, {}));
  }

  retire(id: number | string): Promise<MachineRetireResult> {
    return firstValueFrom(this.http.post<MachineRetireResult>(`${MACHINES_URL}/${id}/retire`, {}));
  }

  reinstate(id: number | string): Promise<MachineDto> {
    return firstValueFrom(this.http.post<MachineDto>(`${MACHINES_URL}/${id}/reinstate`, {}));
  }
}
