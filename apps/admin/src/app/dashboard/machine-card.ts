import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { MachineStatusDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { HoursPipe } from '../core/hours';
import { LanguageService } from '../core/language';
import { formatDateTime, formatElapsed } from '../shared/time-format';

/** One machine on the dashboard: status, who is using it and for how long, maintenance, board. */
@Component({
  selector: 'app-machine-card',
  imports: [TranslatePipe, HoursPipe, RouterLink],
  styleUrl: './machine-card.css',
  template: `
    @let m = machine();
    <article [attr.data-status]="m.status" [attr.aria-labelledby]="'machine-' + m.machineId">
      <h2 [id]="'machine-' + m.machineId">
        <a [routerLink]="['/machines', m.machineId]">{{ m.name }}</a>
      </h2>
      @if (m.typeName) {
        <p class="type">{{ m.typeName }}</p>
      }
      <p class="status">{{ 'status.' + m.status | translate }}</p>
      @if (m.outOfOrder; as problem) {
        <p class="out-of-order">
          <strong>{{
            (problem.hardLock ? 'problems.card.out-of-order-locked' : 'problems.card.out-of-order')
              | translate
          }}</strong>
          <span class="problem-description">{{ problem.description }}</span>
          <a [routerLink]="['/problems', problem.reportId]">{{ 'problems.card.open' | translate }}</a>
        </p>
      }
      @if (m.session; as session) {
        <p class="session">
          <span>{{ session.memberName }}</span>
          <span>
            <span class="visually-hidden">{{ 'dashboard.session-time' | translate }}</span>
            <time [attr.datetime]="session.startedAt">{{ elapsed() }}</time>
          </span>
        </p>
      }
      @if (due().length > 0) {
        <p class="due">
          {{ 'dashboard.maintenance-due' | translate }}:
          @for (plan of due(); track plan.planId) {
            <span
              >{{ plan.description }} ({{ plan.hoursSince | hours }}/{{ plan.hoursBetween | hours }} h)</span
            >
          }
        </p>
      }
      <dl class="board">
        <dt>{{ 'dashboard.board' | translate }}</dt>
        <dd>
          {{ (m.board.online ? 'dashboard.board-online' : 'dashboard.board-offline') | translate }}
        </dd>
        @if (m.board.ip) {
          <dt>{{ 'dashboard.ip' | translate }}</dt>
          <dd>{{ m.board.ip }}</dd>
        }
        @if (m.board.firmware) {
          <dt>{{ 'dashboard.firmware' | translate }}</dt>
          <dd>{{ m.board.firmware }}</dd>
        }
        <dt>{{ 'dashboard.last-seen' | translate }}</dt>
        <dd>{{ lastSeen() ?? ('dashboard.never' | translate) }}</dd>
      </dl>
    </article>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineCard {
  private readonly language = inject(LanguageService);
  readonly machine = input.required<MachineStatusDto>();
  /** The dashboard clock, ms since the epoch, ticking every second. */
  readonly now = input.required<number>();

  protected readonly due = computed(() => this.machine().maintenance.filter((plan) => plan.due));
  protected readonly elapsed = computed(() => {
    const session = this.machine().session;
    return session ? formatElapsed(this.now() - Date.parse(session.startedAt)) : '';
  });
  protected readonly lastSeen = computed(() => {
    const seen = this.machine().board.lastSeenAt;
    return seen ? formatDateTime(seen, this.language.current()) : null;
  });
}
