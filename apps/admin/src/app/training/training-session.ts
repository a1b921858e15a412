import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import type { TrainingSessionDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../core/api-error';
import { LanguageService } from '../core/language';
import { formatDateTime } from '../shared/localised';
import { type Message, MessagePipe, message } from '../shared/message';
import { TrainingApi } from './training-api';
import { defaultOutcomes, outcomesBody, RESULTS, type Result, supervisable } from './training-logic';

/**
 * One training session: its trainees and results; before the outcomes are recorded, the form to
 * record them (every trainee qualified and every machine chosen to start with); after, the
 * supervised first use of a machine for each qualified trainee.
 */
@Component({
  selector: 'app-training-session',
  imports: [TranslatePipe, MessagePipe],
  styleUrls: ['../shared/page.css'],
  template: `
    @let s = session();
    <article class="panel" [attr.aria-labelledby]="'session-' + s.id">
      <h3 [id]="'session-' + s.id">{{ dateTime(s.startsAt) }} · {{ s.place }}</h3>
      <p>
        {{ 'training.session.trainer' | translate: { trainer: s.trainer.name } }} ·
        {{ 'training.session.seats' | translate: { count: s.trainees.length, capacity: s.capacity } }}
      </p>
      @if (s.trainees.length === 0) {
        <p>{{ 'training.session.no-trainees' | translate }}</p>
      } @else if (s.completedAt === null && editable()) {
        <form (submit)="record($event)">
          <fieldset>
            <legend>{{ 'training.outcomes.title' | translate }}</legend>
            @for (trainee of s.trainees; track trainee.memberId) {
              <div class="row">
                <label [for]="'outcome-' + s.id + '-' + trainee.memberId">{{ trainee.memberName }}</label>
                <select
                  [id]="'outcome-' + s.id + '-' + trainee.memberId"
                  [value]="results()[trainee.memberId]"
                  (change)="choose(trainee.memberId, $event)"
                >
                  @for (result of resultChoices; track result) {
                    <option [value]="result">{{ 'training.outcomes.' + result | translate }}</option>
                  }
                </select>
              </div>
            }
          </fieldset>
          <fieldset>
            <legend>{{ 'training.outcomes.machines' | translate }}</legend>
            @for (machine of s.machines; track machine.id) {
              <label class="check">
                <input
                  type="checkbox"
                  [checked]="machineIds().includes(machine.id)"
                  (change)="toggleMachine(machine.id, $event)"
                />
                {{ machine.name }}
              </label>
            }
          </fieldset>
          <div class="actions">
            <button type="submit" class="primary" [disabled]="busy()">
              {{ 'training.outcomes.submit' | translate }}
            </button>
          </div>
        </form>
      } @else {
        <ul>
          @for (trainee of s.trainees; track trainee.memberId) {
            <li>{{ trainee.memberName }} · {{ 'training.outcomes.' + trainee.outcome | translate }}</li>
          }
        </ul>
      }
      @if (s.completedAt !== null && editable() && starters().length > 0 && s.machines.length > 0) {
        <form class="fields" (submit)="start($event)">
          <label>
            {{ 'training.supervised.trainee' | translate }}
            <select name="traineeId">
              @for (trainee of starters(); track trainee.memberId) {
                <option [value]="trainee.memberId">{{ trainee.memberName }}</option>
              }
            </select>
          </label>
          <label>
            {{ 'training.supervised.machine' | translate }}
            <select name="machineId">
              @for (machine of s.machines; track machine.id) {
                <option [value]="machine.id">{{ machine.name }}</option>
              }
            </select>
          </label>
          <button type="submit" [disabled]="busy()">{{ 'training.supervised.start' | translate }}</button>
        </form>
        <p class="hint">{{ 'training.supervised.hint' | translate }}</p>
      }
      @if (error()) {
        <p class="error" role="alert">{{ error() | message }}</p>
      }
      @if (notice()) {
        <p class="notice" role="status">{{ notice() | message }}</p>
      }
    </article>
  `,
  styles: `
    fieldset {
      border: 1px solid #d1d5db;
      margin: 0 0 0.6rem;
      padding: 0.5rem 0.75rem;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
      margin: 0.2rem 0;
    }
    .row label {
      min-width: 10rem;
    }
    label.check {
      display: inline-flex;
      gap: 0.3rem;
      margin-inline-end: 1rem;
    }
    h3 {
      margin: 0 0 0.3rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TrainingSessionCard {
  private readonly api = inject(TrainingApi);
  private readonly language = inject(LanguageService);
  readonly session = input.required<TrainingSessionDto>();
  /** Whether the signed-in user may record outcomes and start machines (trainer of the type, manager). */
  readonly editable = input(false);
  readonly changed = output<void>();

  protected readonly resultChoices = RESULTS;
  private readonly edits = signal<Record<number, Result>>({});
  private readonly machineChoice = signal<number[] | null>(null);
  protected readonly results = computed(() => ({
    ...defaultOutcomes(this.session()).results,
    ...this.edits(),
  }));
  protected readonly machineIds = computed(
    () => this.machineChoice() ?? defaultOutcomes(this.session()).machineIds,
  );
  protected readonly starters = computed(() => supervisable(this.session()));
  protected readonly busy = signal(false);
  protected readonly error = signal<Message | null>(null);
  protected readonly notice = signal<Message | null>(null);

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected choose(memberId: number, event: Event): void {
    const value = (event.target as HTMLSelectElement).value as Result;
    this.edits.update((e) => ({ ...e, [memberId]: value }));
  }

  protected toggleMachine(id: number, event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    const now = this.machineIds().filter((m) => m !== id);
    this.machineChoice.set(on ? [...now, id] : now);
  }

  protected async record(event: Event): Promise<void> {
    event.preventDefault();
    await this.act(async () => {
      await this.api.recordOutcomes(
        this.session().id,
        outcomesBody(this.session(), this.results(), this.machineIds()),
      );
      this.notice.set(message('training.outcomes.done'));
      this.changed.emit();
    });
  }

  protected async start(event: Event): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const traineeId = Number(data.get('traineeId'));
    const machineId = Number(data.get('machineId'));
    const trainee = this.session().trainees.find((t) => t.memberId === traineeId);
    const machine = this.session().machines.find((m) => m.id === machineId);
    await this.act(async () => {
      await this.api.supervisedStart(machineId, traineeId);
      this.notice.set(
        message('training.supervised.sent', {
          member: trainee?.memberName ?? '',
          machine: machine?.name ?? '',
        }),
      );
    });
  }

  private async act(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.notice.set(null);
    try {
      await work();
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
