import { HttpClient, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { BoardBindInput, FleetBoardDto, IssuedBoardAccountDto } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const BOARDS_URL = '/api/boards';
export const BOARD_ACCOUNTS_URL = '/api/board-accounts';

/** The boards API: the fleet, binding boards to machines, and the boards' broker accounts. */
@Injectable({ providedIn: 'root' })
export class BoardsApi {
  private readonly http = inject(HttpClient);

  /** A page of boards (`Page<FleetBoardDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(BOARDS_URL, query);
  }

  /** Every broker account (`BoardAccountDto[]`), for an `httpResource`. */
  accountsRequest(): HttpResourceRequest {
    return { url: BOARD_ACCOUNTS_URL };
  }

  bind(boardId: number, body: BoardBindInput): Promise<FleetBoardDto> {
    return firstValueFrom(this.http.post<FleetBoardDto>(`${BOARDS_URL}/${boardId}/bind`, body));
  }

  unbind(boardId: number): Promise<FleetBoardDto> {
    return firstValueFrom(this.http.post<FleetBoardDto>(`${BOARDS_URL}/${boardId}/unbind`, {}));
  }

  /** A broker account for the topic; its password is in this answer only. */
  issueAccount(topicId: string): Promise<IssuedBoardAccountDto> {
    return firstValueFrom(this.http.post<IssuedBoardAccountDto>(`${BOARD_ACCOUNTS_URL}/${topicId}`, {}));
  }

  rotateAccount(topicId: string): Promise<IssuedBoardAccountDto> {
    return firstValueFrom(
      this.http.post<IssuedBoardAccountDto>(`${BOARD_ACCOUNTS_URL}/${topicId}/rotate`, {}),
    );
  }

  async revokeAccount(topicId: string): Promise<void> {
    await firstValueFrom(this.http.delete<void>(`${BOARD_ACCOUNTS_URL}/${topicId}`));
  }
}
