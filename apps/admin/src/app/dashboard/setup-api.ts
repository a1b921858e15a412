import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { SetupProgressDto } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

export const SETUP_PROGRESS_URL = '/api/setup/progress';

/** The first-start checklist's API. */
@Injectable({ providedIn: 'root' })
export class SetupApi {
  private readonly http = inject(HttpClient);

  progress(): Promise<SetupProgressDto> {
    return firstValueFrom(this.http.get<SetupProgressDto>(SETUP_PROGRESS_URL));
  }
}
