import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { MyAuthorizationsDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { explainError } from '../../core/api-error';
import { LanguageService } from '../../core/language';
import { MessagePipe } from '../../shared/message';
import { MyDataApi } from './my-data-api';
import { longDate } from './refusal';

/** `/me`: the member's standing at the machines: authorizations, their state and expiry, what is missing. */
@Component({
  selector: 'app-my-home',
  imports: [TranslatePipe, MessagePipe],
  styleUrls: ['../../shared/page.css', './my-data.css'],
  template: `
    <main>
      <h1>{{ 'my-data.home.title' | translate }}</h1>
      @if (standing.error(); as error) {
        <p class="error" role="alert">
          {{ 'my-data.load-error' | translate }} {{ explainError(error) | message }}
          <button type="button" (click)="standing.reload()">{{ 'activity.retry' | translate }}</button>
        </p>
      } @else if (value(); as s) {
        @if (s.disabled) {
          <p class="notice" role="status">{{ 'my-data.home.disabled' | translate }}</p>
        }
        @if (s.authorizeAll) {
          <p class="notice">{{ 'my-data.home.authorize-all' | translate }}</p>
        }

        <h2 id="my-authorizations">{{ 'my-data.home.authorizations' | translate }}</h2>
        @if (s.authorizations.length === 0) {
          <p class="empty">{{ 'my-data.home.none' | translate }}</p>
        } @else {
          <ul class="cards" aria-labelledby="my-authorizations">
            @for (a of s.authorizations; track a.id) {
              <li>
                <h3>{{ a.machineName }}</h3>
                @if (a.machineType) {
                  <p class="meta">{{ a.machineType }}</p>
                }
                <p class="meta">{{ 'my-data.home.since' | translate: { date: date(a.since) } }}</p>
                <p class="meta">
                  @if (a.expiresAt) {
                    {{
                      (a.state === 'expired' ? 'my-data.home.expired-on' : 'my-data.home.expires-on')
                        | translate: { date: date(a.expiresAt) }
                    }}
                  } @else {
                    {{ 'my-data.home.no-expiry' | translate }}
                  }
                </p>
                <span class="state" [class]="a.state">{{ 'my-data.states.' + a.state | translate }}</span>
              </li>
            }
          </ul>
        }

        @if (s.notAuthorized.length > 0) {
          <h2 id="my-not-authorized">{{ 'my-data.home.not-authorized' | translate }}</h2>
          <p class="hint">{{ 'my-data.home.not-authorized-hint' | translate }}</p>
          <ul class="cards" aria-labelledby="my-not-authorized">
            @for (m of s.notAuthorized; track m.machineId) {
              <li>
                <h3>{{ m.machineName }}</h3>
                @if (m.machineType) {
                  <p class="meta">{{ m.machineType }}</p>
                }
                @if (m.blocked) {
                  <span class="state machine-blocked">{{
                    'my-data.states.machine-blocked' | translate
                  }}</span>
                }
              </li>
            }
          </ul>
        }

        @if (s.open.length > 0) {
          <h2 id="my-open">{{ 'my-data.home.open' | translate }}</h2>
          <p class="hint">{{ 'my-data.home.open-hint' | translate }}</p>
          <ul class="cards" aria-labelledby="my-open">
            @for (m of s.open; track m.machineId) {
              <li>
                <h3>{{ m.machineName }}</h3>
                @if (m.blocked) {
                  <span class="state machine-blocked">{{
                    'my-data.states.machine-blocked' | translate
                  }}</span>
                }
              </li>
            }
          </ul>
        }
      } @else {
        <p role="status">{{ 'activity.loading' | translate }}</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyHome {
  private readonly api = inject(MyDataApi);
  private readonly language = inject(LanguageService);
  protected readonly explainError = explainError;
  protected readonly standing = httpResource<MyAuthorizationsDto>(() => this.api.authorizationsRequest());
  protected readonly value = computed(() => (this.standing.hasValue() ? this.standing.value() : undefined));

  protected date(iso: string): string {
    return longDate(iso, this.language.current());
  }
}
