import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { AUTHORIZATION_STATES, type AuthorizationDto, MAX_PAGE_SIZE, type Page } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { AuthorizationsApi } from '../../authorizations/authorizations-api';
import {
  CertificationActions,
  CertificationState,
  injectCertificationViewer,
} from '../../authorizations/certification-cells';

/**
 * "My trainees" (issue 15): a trainer's page, whatever their portal level (members too): the
 * authorizations of the machine types they train, with renew, suspend, reinstate and revoke.
 */
@Component({
  selector: 'app-my-trainees',
  imports: [TranslatePipe, CertificationState, CertificationActions],
  styleUrls: ['../../shared/page.css'],
  template: `
    <main>
      <h1>{{ 'certification.trainees.title' | translate }}</h1>
      @if (trainerOf().length > 0) {
        <p>{{ 'certification.trainees.types' | translate: { types: trainerOf().join(', ') } }}</p>
      } @else if (viewer()) {
        <p>{{ 'certification.trainees.not-a-trainer' | translate }}</p>
      }

      <form class="filters" role="search" (submit)="$event.preventDefault()">
        <label>
          {{ 'activity.search' | translate }}
          <input type="search" [value]="q()" (input)="q.set($any($event.target).value)" />
        </label>
        <label>
          {{ 'certification.state' | translate }}
          <select (change)="state.set($any($event.target).value)">
            <option value="">{{ 'activity.any' | translate }}</option>
            @for (option of states; track option) {
              <option [value]="option" [selected]="state() === option">
                {{ 'certification.states.' + option | translate }}
              </option>
            }
          </select>
        </label>
      </form>

      @if (trainees.error()) {
        <p class="error" role="alert">{{ 'activity.load-error' | translate }}</p>
      }
      <div class="table">
        <table>
          <caption class="visually-hidden">
            {{
              'certification.trainees.title' | translate
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">{{ 'authorizations.columns.member' | translate }}</th>
              <th scope="col">{{ 'authorizations.columns.machine' | translate }}</th>
              <th scope="col">{{ 'certification.state' | translate }}</th>
              <th scope="col">{{ 'activity.actions' | translate }}</th>
            </tr>
          </thead>
          <tbody>
            @for (row of rows(); track row.id) {
              <tr>
                <td>{{ row.memberName }} {{ row.memberSurname }}</td>
                <td>{{ row.machineName }}</td>
                <td><app-certification-state [row]="row" /></td>
                <td>
                  <app-certification-actions [row]="row" [viewer]="viewer()" (changed)="trainees.reload()" />
                </td>
              </tr>
            } @empty {
              <tr>
                <td colspan="4">{{ 'certification.trainees.none' | translate }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyTrainees {
  private readonly api = inject(AuthorizationsApi);
  protected readonly viewer = injectCertificationViewer();
  protected readonly states = AUTHORIZATION_STATES;
  protected readonly q = signal('');
  protected readonly state = signal('');

  private readonly types = httpResource<{ machineTypeName: string }[]>(() => '/api/me/trainer-of');
  protected readonly trainerOf = computed(() =>
    this.types.hasValue() ? this.types.value().map((t) => t.machineTypeName) : [],
  );
  protected readonly trainees = httpResource<Page<AuthorizationDto>>(() =>
    this.api.traineesRequest({
      pageSize: MAX_PAGE_SIZE,
      sort: 'member',
      ...(this.q().trim() ? { q: this.q().trim() } : {}),
      ...(this.state() ? { state: this.state() } : {}),
    }),
  );
  protected readonly rows = computed(() => (this.trainees.hasValue() ? this.trainees.value().items : []));
}
