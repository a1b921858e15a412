import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import type { ConfirmationRequiredBody } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

/** What a delete did, or what it would take with it (the API's 409 asking for `?confirm=true`). */
export type DeleteOutcome<T> =
  { readonly deleted: T } | { readonly counts: Readonly<Record<string, number>>; readonly inUseBy?: string };

/**
 * Deletes `url`; unconfirmed, a delete that would take other rows answers their counts instead
 * (409 DELETE_CONFIRMATION_REQUIRED with `counts`), to be shown before repeating it confirmed.
 */
export async function deleteWithConfirmation<T>(
  http: HttpClient,
  url: string,
  confirmed: boolean,
): Promise<DeleteOutcome<T>> {
  try {
    const params: Record<string, string> = confirmed ? { confirm: 'true' } : {};
    return { deleted: await firstValueFrom(http.delete<T>(url, { params })) };
  } catch (error) {
    const body =
      error instanceof HttpErrorResponse ? (error.error as Partial<ConfirmationRequiredBody>) : null;
    const counts = body?.counts;
    if (error instanceof HttpErrorResponse && error.status === 409 && counts) {
      // A machine in use: who is on it (their open session goes with it).
      return body.inUseBy ? { counts, inUseBy: body.inUseBy } : { counts };
    }
    throw error;
  }
}
