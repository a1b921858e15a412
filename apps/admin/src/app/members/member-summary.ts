import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AuthorizationDto, Page, UsageSessionDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { AuthorizationsApi } from '../authorizations/authorizations-api';
import { LanguageService } from '../core/language';
import { UsageApi } from '../usage/usage-api';
import { formatDate, formatDateTime, formatHours } from '../shared/localised';

/** Machines listed in the summary; the rest are on the authorizations page. */
const AUTHORIZATIONS_SHOWN = 10;
/** The last sessions shown: one keyset page, newest first, read by the member's (memberId, startedAt) index. */
const RECENT_SESSIONS = 5;

/** A member at a glance: the machines they may use, their last sessions and when they last used one. */
@Component({
  selector: 'app-member-summary',
  imports: [RouterLink, TranslatePipe],
  template: `
    <section class="summary" aria-labelledby="summary-title">
      <h2 id="summary-title">{{ 'members.summary.title' | translate }}</h2>
      <dl>
        <dt>{{ 'members.summary.last-use' | translate }}</dt>
        <dd>
          @if (lastSession(); as last) {
            {{
              'members.summary.last-use-on'
                | translate: { when: dateTime(last.startedAt), machine: last.machineName }
            }}
          } @else if (sessions.hasValue()) {
            {{ 'members.summary.never' | translate }}
          }
        </dd>
        <dt>{{ 'members.summary.authorizations' | translate: { count: authorizationTotal() } }}</dt>
        <dd>
          @if (authorizations.value(); as page) {
            @if (page.items.length === 0) {
              {{ 'members.summary.no-authorizations' | translate }}
            } @else {
              <ul>
                @for (a of page.items; track a.id) {
                  <li [class.expired]="a.expired">
                    {{ a.machineName }}
                    @if (a.expiresAt) {
                      ({{
                        (a.expired ? 'members.summary.expired' : 'members.summary.until')
                          | translate: { date: date(a.expiresAt) }
                      }})
                    }
                  </li>
                }
              </ul>
            }
            <a routerLink="/authorizations" [queryParams]="{ memberId: memberId() }">{{
              'members.summary.all-authorizations' | translate
            }}</a>
          }
        </dd>
        <dt>{{ 'members.summary.recent' | translate }}</dt>
        <dd>
          @if (sessions.value(); as page) {
            @if (page.items.length === 0) {
              {{ 'members.summary.no-sessions' | translate }}
            } @else {
              <ul>
                @for (s of page.items; track s.id) {
                  <li>
                    {{ dateTime(s.startedAt) }} · {{ s.machineName }} ·
                    @if (s.open) {
                      {{ 'members.summary.in-progress' | translate }}
                    } @else {
                      {{ hours(s.durationSeconds) }} h
                    }
                  </li>
                }
              </ul>
            }
            <a routerLink="/usage" [queryParams]="{ memberId: memberId() }">{{
              'members.summary.all-sessions' | translate
            }}</a>
          }
        </dd>
      </dl>
    </section>
  `,
  styles: `
    .summary dl {
      display: grid;
      grid-template-columns: minmax(8rem, auto) minmax(0, 1fr);
      gap: 0.5rem 1rem;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    ul {
      margin: 0 0 0.25rem;
      padding-left: 1.2rem;
    }
    .expired {
      color: var(--danger);
    }
    @media (max-width: 40rem) {
      .summary dl {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MemberSummary {
  private readonly language = inject(LanguageService);
  readonly memberId = input.required<number>();

  private readonly authorizationsApi = inject(AuthorizationsApi);
  private readonly usageApi = inject(UsageApi);
  protected readonly authorizations = httpResource<Page<AuthorizationDto>>(() =>
    this.authorizationsApi.listRequest({ memberId: this.memberId(), pageSize: AUTHORIZATIONS_SHOWN }),
  );
  protected readonly sessions = httpResource<Page<UsageSessionDto>>(() =>
    this.usageApi.listRequest({
      memberId: this.memberId(),
      pageSize: RECENT_SESSIONS,
      sort: 'startedAt',
      order: 'desc',
    }),
  );
  protected readonly authorizationTotal = computed(() => this.authorizations.value()?.total ?? 0);
  protected readonly lastSession = computed(() => this.sessions.value()?.items[0] ?? null);

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected date(iso: string): string {
    return formatDate(iso, this.language.current());
  }

  protected hours(seconds: number | null): string {
    return formatHours(seconds, this.language.current());
  }
}
