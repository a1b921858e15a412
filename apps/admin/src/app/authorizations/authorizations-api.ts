import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AuthorizationDto,
  AuthorizationHistoryDto,
  BulkAuthorizationInput,
  BulkAuthorizationResult,
  TrainerDto,
  TrainerInput,
} from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const AUTHORIZATIONS_URL = '/api/authorizations';
export const TRAINERS_URL = '/api/trainers';

/** The lifecycle actions of a row (`POST /api/authorizations/:id/<action>`). */
export type CertificationAction = 'renew' | 'suspend' | 'reinstate' | 'revoke';

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

  /** Renew, suspend, reinstate or revoke; suspend and revoke need a reason. */
  transition(id: number, action: CertificationAction, reason?: string): Promise<AuthorizationDto> {
    return firstValueFrom(
      this.http.post<AuthorizationDto>(`${AUTHORIZATIONS_URL}/${id}/${action}`, reason ? { reason } : {}),
    );
  }

  /** Every change of an authorization, oldest first. */
  history(id: number): Promise<AuthorizationHistoryDto[]> {
    return firstValueFrom(this.http.get<AuthorizationHistoryDto[]>(`${AUTHORIZATIONS_URL}/${id}/history`));
  }

  /** The signed-in trainer's trainees (`Page<AuthorizationDto>`), for an `httpResource`. */
  traineesRequest(query: QueryParams): HttpResourceRequest {
    return getRequest('/api/me/trainees', query);
  }

  /** The machine types the signed-in member trains. */
  trainerOf(): Promise<TrainerDto[]> {
    return firstValueFrom(this.http.get<TrainerDto[]>('/api/me/trainer-of'));
  }

  /** The trainers of a machine type (`TrainerDto[]`), for an `httpResource`. */
  trainersRequest(machineTypeId: number | string): HttpResourceRequest {
    return getRequest(TRAINERS_URL, { machineTypeId });
  }

  addTrainer(body: TrainerInput): Promise<TrainerDto> {
    return firstValueFrom(this.http.post<TrainerDto>(TRAINERS_URL, body));
  }

  revokeTrainer(id: number): Promise<TrainerDto> {
    return firstValueFrom(this.http.post<TrainerDto>(`${TRAINERS_URL}/${id}/revoke`, {}));
  }
}
