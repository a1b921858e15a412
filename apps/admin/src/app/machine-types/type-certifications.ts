import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import {
  type AuthorizationDto,
  hasAccess,
  MAX_PAGE_SIZE,
  type Page,
  type TrainerDto,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../core/api-error';
import { Auth } from '../core/auth';
import { AuthorizationsApi } from '../authorizations/authorizations-api';
import {
  CertificationActions,
  CertificationState,
  injectCertificationViewer,
} from '../authorizations/certification-cells';
import { MemberPicker } from '../shared/member-picker';
import { type Message, MessagePipe } from '../shared/message';

/**
 * A machine type's certifications (issue 15): who trains it (managers add and revoke trainers) and
 * who is authorized on its machines, in what state, with the lifecycle actions.
 */
@Component({
  selector: 'app-type-certifications',
  imports: [TranslatePipe, MessagePipe, MemberPicker, CertificationState, CertificationActions],
  styleUrls: ['../shared/page.css'],
  template: `
    <section class="panel" aria-labelledby="trainers-title">
      <h2 id="trainers-title">{{ 'certification.trainers.title' | translate }}</h2>
      <p class="hint">{{ 'certification.trainers.what' | translate }}</p>
      <ul>
        @for (trainer of trainers(); track trainer.id) {
          <li>
            {{ trainer.memberName }}
            @if (canManage()) {
              <button type="button" [disabled]="busy()" (click)="revokeTrainer(trainer)">
                {{ 'certification.trainers.revoke' | translate }}
              </button>
            }
          </li>
        } @empty {
          <li>{{ 'certification.trainers.none' | translate }}</li>
        }
      </ul>
      @if (canManage()) {
        <form class="filters" (submit)="addTrainer($event)">
          <app-member-picker
            name="memberId"
            [required]="true"
            [label]="'certification.trainers.member' | translate"
            [placeholder]="'certification.trainers.choose' | translate"
          />
          <button type="submit" class="primary" [disabled]="busy()">
            {{ 'certification.trainers.add' | translate }}
          </button>
        </form>
      }
      @if (error()) {
        <p class="error" role="alert">{{ error() | message }}</p>
      }
    </section>

    <section class="panel" aria-labelledby="authorized-title">
      <h2 id="authorized-title">{{ 'certification.authorized.title' | translate }}</h2>
      <div class="table">
        <table>
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
                  <app-certification-actions
                    [row]="row"
                    [viewer]="viewer()"
                    (changed)="authorized.reload()"
                  />
                </td>
              </tr>
            } @empty {
              <tr>
                <td colspan="4">{{ 'authorizations.none' | translate }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TypeCertifications {
  private readonly api = inject(AuthorizationsApi);
  private readonly auth = inject(Auth);
  readonly typeId = input.required<string>();

  protected readonly viewer = injectCertificationViewer();
  protected readonly canManage = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly busy = signal(false);
  protected readonly error = signal<Message | null>(null);

  private readonly trainerList = httpResource<TrainerDto[]>(() => this.api.trainersRequest(this.typeId()));
  protected readonly trainers = computed(() => (this.trainerList.hasValue() ? this.trainerList.value() : []));
  protected readonly authorized = httpResource<Page<AuthorizationDto>>(() =>
    this.api.listRequest({ machineTypeId: this.typeId(), pageSize: MAX_PAGE_SIZE, sort: 'member' }),
  );
  protected readonly rows = computed(() => (this.authorized.hasValue() ? this.authorized.value().items : []));

  protected async addTrainer(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const memberId = Number(new FormData(form).get('memberId'));
    if (!memberId) return;
    await this.run(() => this.api.addTrainer({ memberId, machineTypeId: Number(this.typeId()) }));
  }

  protected revokeTrainer(trainer: TrainerDto): Promise<void> {
    return this.run(() => this.api.revokeTrainer(trainer.id));
  }

  private async run(request: () => Promise<unknown>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await request();
      this.trainerList.reload();
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
