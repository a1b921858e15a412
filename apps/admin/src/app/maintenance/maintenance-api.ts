import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  InterventionDto,
  InterventionInput,
  MaintenancePlanDto,
  MaintenancePlanInput,
} from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const MAINTENANCE_PLANS_URL = '/api/maintenance-plans';
export const INTERVENTIONS_URL = '/api/interventions';

/** The maintenance API: plans and the interventions done on machines. */
@Injectable({ providedIn: 'root' })
export class MaintenanceApi {
  private readonly http = inject(HttpClient);

  /** A page of plans (`Page<MaintenancePlanDto>`), for an `httpResource`. */
  plansRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(MAINTENANCE_PLANS_URL, query);
  }

  plan(id: number | string): Promise<MaintenancePlanDto> {
    return firstValueFrom(this.http.get<MaintenancePlanDto>(`${MAINTENANCE_PLANS_URL}/${id}`));
  }

  createPlan(body: MaintenancePlanInput): Promise<MaintenancePlanDto> {
    return firstValueFrom(this.http.post<MaintenancePlanDto>(MAINTENANCE_PLANS_URL, body));
  }

  updatePlan(id: number | string, body: MaintenancePlanInput): Promise<MaintenancePlanDto> {
    return firstValueFrom(this.http.patch<MaintenancePlanDto>(`${MAINTENANCE_PLANS_URL}/${id}`, body));
  }

  /** A page of interventions (`Page<InterventionDto>`), for an `httpResource`. */
  interventionsRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(INTERVENTIONS_URL, query);
  }

  createIntervention(body: InterventionInput): Promise<InterventionDto> {
    return firstValueFrom(this.http.post<InterventionDto>(INTERVENTIONS_URL, body));
  }
}
