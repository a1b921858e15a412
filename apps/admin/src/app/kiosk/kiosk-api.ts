import { HttpClient, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { KIOSK_AUTH_SCHEME, type KioskStatusDto } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

export const KIOSK_STATUS_URL = '/api/kiosk/status';

/** The kiosk screen's one read, with its token (no staff session). */
@Injectable({ providedIn: 'root' })
export class KioskApi {
  private readonly http = inject(HttpClient);

  status(token: string): Promise<KioskStatusDto> {
    const headers = new HttpHeaders({ authorization: `${KIOSK_AUTH_SCHEME} ${token}` });
    return firstValueFrom(this.http.get<KioskStatusDto>(KIOSK_STATUS_URL, { headers }));
  }
}
