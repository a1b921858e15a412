import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  RemoteCommandResult,
  TrainingOutcomesInput,
  TrainingRequestDto,
  TrainingRequestInput,
  TrainingSessionDto,
  TrainingSessionInput,
  TrainingTypeDto,
} from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

/** Trainings: a member's requests, the trainers' queue and sessions, a supervised first use. */
@Injectable({ providedIn: 'root' })
export class TrainingApi {
  private readonly http = inject(HttpClient);

  /** The machine types one may ask training for, as the signed-in member sees them. */
  types(): Promise<TrainingTypeDto[]> {
    return firstValueFrom(this.http.get<TrainingTypeDto[]>('/api/me/training-types'));
  }

  myRequests(): Promise<TrainingRequestDto[]> {
    return firstValueFrom(this.http.get<TrainingRequestDto[]>('/api/me/training-requests'));
  }

  ask(body: TrainingRequestInput): Promise<TrainingRequestDto> {
    return firstValueFrom(this.http.post<TrainingRequestDto>('/api/me/training-requests', body));
  }

  cancel(id: number): Promise<TrainingRequestDto> {
    return firstValueFrom(this.http.post<TrainingRequestDto>(`/api/me/training-requests/${id}/cancel`, {}));
  }

  /** The queue of a type: open and planned requests, oldest first. */
  queue(machineTypeId: number): Promise<TrainingRequestDto[]> {
    return firstValueFrom(
      this.http.get<TrainingRequestDto[]>('/api/training-requests', { params: { machineTypeId } }),
    );
  }

  sessions(machineTypeId: number): Promise<TrainingSessionDto[]> {
    return firstValueFrom(
      this.http.get<TrainingSessionDto[]>('/api/training-sessions', { params: { machineTypeId } }),
    );
  }

  plan(body: TrainingSessionInput): Promise<TrainingSessionDto> {
    return firstValueFrom(this.http.post<TrainingSessionDto>('/api/training-sessions', body));
  }

  recordOutcomes(sessionId: number, body: TrainingOutcomesInput): Promise<TrainingSessionDto> {
    return firstValueFrom(
      this.http.post<TrainingSessionDto>(`/api/training-sessions/${sessionId}/outcomes`, body),
    );
  }

  supervisedStart(machineId: number, traineeId: number): Promise<RemoteCommandResult> {
    return firstValueFrom(
      this.http.post<RemoteCommandResult>(`/api/machines/${machineId}/supervised-start`, { traineeId }),
    );
  }
}
