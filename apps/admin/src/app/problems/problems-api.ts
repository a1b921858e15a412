import { HttpClient, HttpEventType, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  Page,
  ProblemListQuery,
  ProblemReportDto,
  ProblemReportInput,
  ReportableMachineDto,
} from '@fabomatic/contracts';
import { firstValueFrom, lastValueFrom, tap, filter, map } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const PROBLEMS_URL = '/api/problems';
export const MY_PROBLEMS_URL = '/api/me/problems';
export const REPORTABLE_MACHINES_URL = '/api/me/reportable-machines';
export const MY_NOTIFICATIONS_URL = '/api/me/notifications';
export const DOWNTIME_URL = '/api/reports/downtime';

/** `GET|PATCH /api/me/notifications`: whether "machine out of order / back" emails are sent. */
export interface NotificationSettings {
  readonly machineStatus: boolean;
}

/** The list's query as sent: only the filters set. */
function listParams(query: ProblemListQuery): QueryParams {
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query) as [string, string | number | undefined][])
    if (value !== undefined && value !== '') params[key] = value;
  return params;
}

/** A report as `POST /api/problems` takes it: multipart form data, the photo as the file `photo`. */
export function problemFormData(input: ProblemReportInput, photo: Blob | null): FormData {
  const data = new FormData();
  data.append('machineId', String(input.machineId));
  data.append('severity', input.severity);
  data.append('description', input.description);
  if (input.hardLock !== undefined) data.append('hardLock', String(input.hardLock));
  if (photo) data.append('photo', photo, photo instanceof File ? photo.name : 'photo');
  return data;
}

/** The problem reports API: filing (members and staff), the staff list, resolving, the member's own. */
@Injectable({ providedIn: 'root' })
export class ProblemsApi {
  private readonly http = inject(HttpClient);

  /** A page of reports (`Page<ProblemReportDto>`, staff), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(PROBLEMS_URL, query);
  }

  list(query: ProblemListQuery): Promise<Page<ProblemReportDto>> {
    return firstValueFrom(this.http.get<Page<ProblemReportDto>>(PROBLEMS_URL, { params: listParams(query) }));
  }

  get(id: number | string): Promise<ProblemReportDto> {
    return firstValueFrom(this.http.get<ProblemReportDto>(`${PROBLEMS_URL}/${id}`));
  }

  /** Where the photo of a report is served (to staff and its reporter): an `<img src>`. */
  photoUrl(id: number | string): string {
    return `${PROBLEMS_URL}/${id}/photo`;
  }

  /**
   * Files a report as multipart form data; `progress` hears the share of the upload sent (0..1)
   * when the browser tells it.
   */
  create(
    input: ProblemReportInput,
    photo: Blob | null,
    progress: (sent: number) => void = () => undefined,
  ): Promise<ProblemReportDto> {
    return lastValueFrom(
      this.http
        .post<ProblemReportDto>(PROBLEMS_URL, problemFormData(input, photo), {
          reportProgress: true,
          observe: 'events',
        })
        .pipe(
          tap((event) => {
            if (event.type === HttpEventType.UploadProgress && event.total)
              progress(event.loaded / event.total);
          }),
          filter((event) => event.type === HttpEventType.Response),
          map((event) => event.body as ProblemReportDto),
        ),
    );
  }

  resolve(id: number | string, resolution: string): Promise<ProblemReportDto> {
    return firstValueFrom(this.http.post<ProblemReportDto>(`${PROBLEMS_URL}/${id}/resolve`, { resolution }));
  }

  cancel(id: number | string): Promise<ProblemReportDto> {
    return firstValueFrom(this.http.post<ProblemReportDto>(`${PROBLEMS_URL}/${id}/cancel`, {}));
  }

  setHardLock(id: number | string, hardLock: boolean): Promise<ProblemReportDto> {
    return firstValueFrom(this.http.patch<ProblemReportDto>(`${PROBLEMS_URL}/${id}`, { hardLock }));
  }

  /** The signed-in user's own reports, newest first (the API answers an array or a page). */
  async mine(): Promise<readonly ProblemReportDto[]> {
    const answer = await firstValueFrom(
      this.http.get<readonly ProblemReportDto[] | Page<ProblemReportDto>>(MY_PROBLEMS_URL),
    );
    return Array.isArray(answer) ? answer : (answer as Page<ProblemReportDto>).items;
  }

  reportableMachines(): Promise<readonly ReportableMachineDto[]> {
    return firstValueFrom(this.http.get<readonly ReportableMachineDto[]>(REPORTABLE_MACHINES_URL));
  }

  notifications(): Promise<NotificationSettings> {
    return firstValueFrom(this.http.get<NotificationSettings>(MY_NOTIFICATIONS_URL));
  }

  setNotifications(settings: NotificationSettings): Promise<NotificationSettings> {
    return firstValueFrom(this.http.patch<NotificationSettings>(MY_NOTIFICATIONS_URL, settings));
  }

  /** Downtime per machine over a range (`DowntimeReportDto`), for an `httpResource`. */
  downtimeRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(DOWNTIME_URL, query);
  }
}
