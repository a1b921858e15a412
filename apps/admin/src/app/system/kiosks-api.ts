import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CreatedKioskDto, KioskDto, KioskInput, LabSettingsDto } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

export const KIOSKS_URL = '/api/kiosks';
export const LAB_SETTINGS_URL = '/api/lab-settings';

/** Kiosk screens and the lab's settings (managers). */
@Injectable({ providedIn: 'root' })
export class KiosksApi {
  private readonly http = inject(HttpClient);

  /** `KioskDto[]`, for an `httpResource`. */
  listRequest(): HttpResourceRequest {
    return { url: KIOSKS_URL };
  }

  /** `LabSettingsDto`, for an `httpResource`. */
  settingsRequest(): HttpResourceRequest {
    return { url: LAB_SETTINGS_URL };
  }

  create(input: KioskInput): Promise<CreatedKioskDto> {
    return firstValueFrom(this.http.post<CreatedKioskDto>(KIOSKS_URL, input));
  }

  revoke(id: number): Promise<KioskDto> {
    return firstValueFrom(this.http.post<KioskDto>(`${KIOSKS_URL}/${id}/revoke`, {}));
  }

  updateSettings(changes: Partial<LabSettingsDto>): Promise<LabSettingsDto> {
    return firstValueFrom(this.http.put<LabSettingsDto>(LAB_SETTINGS_URL, changes));
  }
}
