import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
  type Signal,
} from '@angular/core';
import type { AuthorizationDto, AuthorizationHistoryDto, TrainerDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { fieldText, formatDate, formatDateTime } from '../shared/localised';
import { type Message, MessagePipe } from '../shared/message';
import { AuthorizationsApi, type CertificationAction } from './authorizations-api';
import { actionsFor, type CertificationViewer, needsReason, stateBadge } from './certification';

/** The signed-in user as the lifecycle sees them (portal level, and the machine types they train). */
export function injectCertificationViewer(): Signal<CertificationViewer | null> {
  const auth = inject(Auth);
  const trained = httpResource<TrainerDto[]>(() => (auth.user() ? '/api/me/trainer-of' : undefined));
  return computed(() => {
    const user = auth.user();
    if (!user) return null;
    const types = trained.hasValue() ? trained.value() : [];
    return { memberId: user.id, access: user.access, trainerOf: new Set(types.map((t) => t.machineTypeId)) };
  });
}

/** A row's state badge, its effective expiry and its last use. */
@Component({
  selector: 'app-certification-state',
  imports: [TranslatePipe],
  template: `
    <span class="badge" [class]="'badge ' + badge().tone">
      {{ 'certification.states.' + badge().key | translate }}
    </span>
    @if (row().exempt) {
      <small>{{ 'certification.exempt' | translate }}</small>
    } @else if (row().effectiveExpiresAt; as until) {
      <small>
        @if (row().state === 'expired') {
          {{ 'certification.expired-on' | translate: { date: date(until) } }}
        } @else {
          {{ 'certification.until' | translate: { date: lastDay(until) } }}
        }
      </small>
    }
    <small>
      {{
        row().lastUsedAt
          ? ('certification.last-used' | translate: { date: date(row().lastUsedAt) })
          : ('certification.never-used' | translate)
      }}
    </small>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.15rem;
    }
    .badge {
      align-self: flex-start;
      border-radius: 999px;
      padding: 0.05rem 0.55rem;
      font-size: 0.85em;
      font-weight: 600;
    }
    .ok {
      background: #dcf3e3;
      color: #17532c;
    }
    .warn {
      background: #fff1c9;
      color: #6b4a00;
    }
    .bad {
      background: #fbdcdc;
      color: #7c1616;
    }
    .muted {
      background: #e8e8ec;
      color: #33343a;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CertificationState {
  private readonly language = inject(LanguageService);
  readonly row = input.required<AuthorizationDto>();
  protected readonly badge = computed(() => stateBadge(this.row()));

  protected date(iso: string | null): string {
    return formatDate(iso, this.language.current());
  }

  /** The last day it grants: the expiry is the first instant of the day after. */
  protected lastDay(iso: string): string {
    return this.date(new Date(Date.parse(iso) - 1).toISOString());
  }
}

/**
 * A row's lifecycle actions (renew, suspend, reinstate, revoke; a reason where required) and its
 * history, for those allowed: managers and admins, and trainers of the machine's type.
 */
@Component({
  selector: 'app-certification-actions',
  imports: [TranslatePipe, MessagePipe],
  template: `
    <div class="actions">
      @for (action of actions(); track action) {
        <button type="button" [disabled]="busy()" (click)="start(action)">
          {{ 'certification.actions.' + action | translate }}
        </button>
      }
      <button type="button" (click)="toggleHistory()" [attr.aria-expanded]="history() !== null">
        {{ 'certification.history.show' | translate }}
      </button>
    </div>
    @if (asking(); as action) {
      <form
        class="confirm"
        role="dialog"
        [attr.aria-label]="'certification.actions.' + action | translate"
        (submit)="confirm($event, action)"
      >
        <p>
          {{
            'certification.confirm.' + action
              | translate: { member: memberName(), machine: row().machineName }
          }}
        </p>
        <label>
          {{ (reasonRequired() ? 'certification.reason' : 'certification.reason-optional') | translate }}
          <textarea name="reason" rows="2" maxlength="500" [required]="reasonRequired()"></textarea>
        </label>
        <div class="actions">
          <button type="submit" class="primary" [disabled]="busy()">
            {{ 'certification.actions.' + action | translate }}
          </button>
          <button type="button" (click)="asking.set(null)">{{ 'activity.cancel' | translate }}</button>
        </div>
      </form>
    }
    @if (error()) {
      <p class="error" role="alert">{{ error() | message }}</p>
    }
    @if (history(); as changes) {
      <section class="history" [attr.aria-label]="'certification.history.title' | translate">
        <h3>{{ 'certification.history.title' | translate }}</h3>
        <ol>
          @for (change of changes; track change.id) {
            <li>
              <time [attr.datetime]="change.at">{{ dateTime(change.at) }}</time>
              {{ 'certification.changes.' + change.change | translate }}
              @if (change.actor) {
                — {{ change.actor.name }}
              }
              @if (change.reason) {
                <q>{{ change.reason }}</q>
              }
            </li>
          } @empty {
            <li>{{ 'certification.history.none' | translate }}</li>
          }
        </ol>
      </section>
    }
  `,
  styles: `
    .history ol {
      margin: 0.25rem 0;
      padding-left: 1.25rem;
    }
    .history h3 {
      font-size: 1em;
      margin: 0.5rem 0 0;
    }
    textarea {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CertificationActions {
  private readonly api = inject(AuthorizationsApi);
  private readonly language = inject(LanguageService);
  readonly row = input.required<AuthorizationDto>();
  readonly viewer = input.required<CertificationViewer | null>();
  /** The row after a change (the list reloads). */
  readonly changed = output<AuthorizationDto>();

  protected readonly actions = computed(() => {
    const viewer = this.viewer();
    return viewer ? actionsFor(viewer, this.row()) : [];
  });
  protected readonly asking = signal<CertificationAction | null>(null);
  protected readonly reasonRequired = computed(() => {
    const action = this.asking();
    return action !== null && needsReason(action);
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<Message | null>(null);
  protected readonly history = signal<AuthorizationHistoryDto[] | null>(null);
  protected readonly memberName = computed(() =>
    `${this.row().memberName} ${this.row().memberSurname}`.trim(),
  );

  protected start(action: CertificationAction): void {
    this.error.set(null);
    this.asking.set(action);
  }

  protected async confirm(event: Event, action: CertificationAction): Promise<void> {
    event.preventDefault();
    const reason = fieldText(new FormData(event.target as HTMLFormElement), 'reason').trim();
    this.busy.set(true);
    this.error.set(null);
    try {
      const updated = await this.api.transition(this.row().id, action, reason || undefined);
      this.asking.set(null);
      if (this.history() !== null) this.history.set(await this.api.history(this.row().id));
      this.changed.emit(updated);
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async toggleHistory(): Promise<void> {
    if (this.history() !== null) {
      this.history.set(null);
      return;
    }
    try {
      this.history.set(await this.api.history(this.row().id));
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
