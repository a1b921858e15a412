import { HttpClient, HttpHeaders, type HttpResourceRequest } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  MemberDeleteResult,
  MemberDto,
  MemberEraseResult,
  MemberImportResult,
  MemberInput,
} from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';
import { getRequest, type QueryParams } from '../core/api-request';

export const MEMBERS_URL = '/api/members';
export const UNKNOWN_CARDS_URL = '/api/unknown-cards';

/** The members API: the list, one member, its lifecycle, the CSV import and unknown cards. */
@Injectable({ providedIn: 'root' })
export class MembersApi {
  private readonly http = inject(HttpClient);

  /** A page of members (`Page<MemberDto>`), for an `httpResource`. */
  listRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(MEMBERS_URL, query);
  }

  /** A page of unknown cards (`Page<UnknownCardDto>`), for an `httpResource`. */
  unknownCardsRequest(query: QueryParams): HttpResourceRequest {
    return getRequest(UNKNOWN_CARDS_URL, query);
  }

  get(id: number | string): Promise<MemberDto> {
    return firstValueFrom(this.http.get<MemberDto>(`${MEMBERS_URL}/${id}`));
  }

  create(body: MemberInput): Promise<MemberDto> {
    return firstValueFrom(this.http.post<MemberDto>(MEMBERS_URL, body));
  }

  update(id: number | string, body: MemberInput): Promise<MemberDto> {
    return firstValueFrom(this.http.patch<MemberDto>(`${MEMBERS_URL}/${id}`, body));
  }

  remove(id: number | string): Promise<MemberDeleteResult> {
    return firstValueFrom(this.http.delete<MemberDeleteResult>(`${MEMBERS_URL}/${id}`));
  }

  restore(id: number | string): Promise<MemberDto> {
    return firstValueFrom(this.http.post<MemberDto>(`${MEMBERS_URL}/${id}/restore`, {}));
  }

  erase(id: number | string): Promise<MemberEraseResult> {
    return firstValueFrom(this.http.post<MemberEraseResult>(`${MEMBERS_URL}/${id}/erase`, {}));
  }

  /** Emails the member a link to set their password. */
  async sendPasswordReset(memberId: number): Promise<void> {
    await firstValueFrom(this.http.post('/api/password-resets', { memberId }));
  }

  /** Sends a CSV file's bytes; a dry run writes nothing and answers what would happen. */
  import(csv: ArrayBuffer, options: { dryRun: boolean; defaultRole?: string }): Promise<MemberImportResult> {
    const { dryRun, defaultRole } = options;
    return firstValueFrom(
      this.http.post<MemberImportResult>(`${MEMBERS_URL}/import`, csv, {
        headers: new HttpHeaders({ 'content-type': 'text/csv' }),
        params: { dryRun, ...(defaultRole ? { defaultRole } : {}) },
      }),
    );
  }
}
