import { HttpClient, HttpHeaders, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { CSRF_HEADER, CSRF_HEADER_VALUE, type RestoreResult } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

export const SYSTEM_URL = '/api/system';
/** The backup download (a plain link: the browser saves the file). */
export const BACKUP_URL = `${SYSTEM_URL}/backup`;

/** The system API: the app's state, its log, backup and restore, and readiness. */
@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly http = inject(HttpClient);

  /** The app's state (`SystemInfo`), for an `httpResource`. */
  infoRequest(): HttpResourceRequest {
    return { url: SYSTEM_URL };
  }

  /** The latest log lines (`LogLine[]`), for an `httpResource`. */
  logsRequest(): HttpResourceRequest {
    return { url: `${SYSTEM_URL}/logs` };
  }

  /** Replaces the database with a backup's bytes. */
  restore(backup: ArrayBuffer): Promise<RestoreResult> {
    const headers = new HttpHeaders({
      'content-type': 'application/octet-stream',
      [CSRF_HEADER]: CSRF_HEADER_VALUE,
    });
    return firstValueFrom(this.http.post<RestoreResult>(`${SYSTEM_URL}/restore`, backup, { headers }));
  }

  /** Whether the app answers ready (false while it restarts). */
  ready(): Promise<boolean> {
    return firstValueFrom(this.http.get('/ready')).then(
      () => true,
      () => false,
    );
  }
}
