import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import {
  hasAccess,
  type TrainingRequestDto,
  type TrainingSessionDto,
  type TrainingTypeDto,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { FormField } from '../shared/field';
import { fieldText, formatDateTime } from '../shared/localised';
import { type Message, MessagePipe, message } from '../shared/message';
import { TrainingApi } from './training-api';
import { localToIso, splitSessions } from './training-logic';
import { TrainingSessionCard } from './training-session';

/** Seats of a new session unless the trainer says otherwise. */
const DEFAULT_CAPACITY = 6;

/**
 * Trainings, for the trainers of a machine type and for staff: the type's queue of requests, planning
 * a session with trainees picked from it, the planned and past sessions with their outcomes, and the
 * supervised first use. Trainers with the `member` portal level reach it too (their types only).
 */
@Component({
  selector: 'app-training',
  imports: [TranslatePipe, MessagePipe, FormField, TrainingSessionCard],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'training.title' | translate }}</h1>
      @if (loaded() && types().length === 0) {
        <p>{{ 'training.no-types' | translate }}</p>
      } @else {
        <div class="filters">
          <label>
            {{ 'training.type' | translate }}
            <select (change)="pickType($event)">
              @for (type of types(); track type.id) {
                <option [value]="type.id" [selected]="type.id === typeId()">{{ type.name }}</option>
              }
            </select>
          </label>
        </div>

        <section aria-labelledby="queue-title">
          <h2 id="queue-title">{{ 'training.queue.title' | translate }}</h2>
          @if (queue().length === 0) {
            <p>{{ 'training.queue.none' | translate }}</p>
          } @else {
            <div class="table">
              <table>
                <caption class="visually-hidden">
                  {{
                    'training.queue.title' | translate
                  }}
                </caption>
                <thead>
                  <tr>
                    @if (canTrain()) {
                      <th scope="col">{{ 'training.queue.pick' | translate }}</th>
                    }
                    <th scope="col">{{ 'training.queue.member' | translate }}</th>
                    <th scope="col">{{ 'training.queue.asked' | translate }}</th>
                    <th scope="col">{{ 'training.queue.note' | translate }}</th>
                    <th scope="col">{{ 'training.queue.state' | translate }}</th>
                  </tr>
                </thead>
                <tbody>
                  @for (request of queue(); track request.id) {
                    <tr>
                      @if (canTrain()) {
                        <td>
                          @if (request.state === 'open') {
                            <input
                              type="checkbox"
                              [attr.aria-label]="
                                'training.queue.pick-member' | translate: { member: request.memberName }
                              "
                              [checked]="picked().includes(request.memberId)"
                              (change)="togglePick(request.memberId, $event)"
                            />
                          }
                        </td>
                      }
                      <td>{{ request.memberName }}</td>
                      <td>{{ dateTime(request.createdAt) }}</td>
                      <td>{{ request.note }}</td>
                      <td>
                        {{ 'training.states.' + request.state | translate }}
                        @if (request.session; as session) {
                          @if (request.state === 'planned') {
                            · {{ dateTime(session.startsAt) }}
                          } @else if (session.outcome !== 'pending') {
                            · {{ 'training.queue.last' | translate }}:
                            {{ 'training.outcomes.' + session.outcome | translate }}
                          }
                        }
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          }
        </section>

        @if (canTrain()) {
          <section class="panel" aria-labelledby="plan-title">
            <h2 id="plan-title">{{ 'training.plan.title' | translate }}</h2>
            <form class="stack" (submit)="plan($event)">
              <app-field controlId="plan-starts" label="training.plan.starts">
                <input name="startsAt" type="datetime-local" required />
              </app-field>
              <app-field controlId="plan-place" label="training.plan.place">
                <input name="place" type="text" maxlength="200" required />
              </app-field>
              <app-field controlId="plan-capacity" label="training.plan.capacity">
                <input name="capacity" type="number" min="1" max="100" required [value]="capacity()" />
              </app-field>
              <p>{{ 'training.plan.picked' | translate: { count: picked().length } }}</p>
              <div class="actions">
                <button type="submit" class="primary" [disabled]="busy()">
                  {{ 'training.plan.submit' | translate }}
                </button>
              </div>
            </form>
          </section>
        }
        @if (error()) {
          <p class="error" role="alert">{{ error() | message }}</p>
        }
        @if (notice()) {
          <p class="notice" role="status">{{ notice() | message }}</p>
        }

        <section aria-labelledby="planned-title">
          <h2 id="planned-title">{{ 'training.sessions.planned' | translate }}</h2>
          @for (session of sessions().planned; track session.id) {
            <app-training-session [session]="session" [editable]="canTrain()" (changed)="reload()" />
          } @empty {
            <p>{{ 'training.sessions.none' | translate }}</p>
          }
        </section>
        <section aria-labelledby="past-title">
          <h2 id="past-title">{{ 'training.sessions.past' | translate }}</h2>
          @for (session of sessions().past; track session.id) {
            <app-training-session [session]="session" [editable]="canTrain()" />
          } @empty {
            <p>{{ 'training.sessions.none' | translate }}</p>
          }
        </section>
      }
    </main>
  `,
  styles: `
    .stack {
      display: flex;
      flex-direction: column;
      gap: 0.3rem;
      max-width: 28rem;
    }
    section {
      margin-block: 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Training {
  private readonly api = inject(TrainingApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  private readonly access = computed(() => this.auth.user()?.access ?? 'none');

  private readonly allTypes = signal<TrainingTypeDto[]>([]);
  /** The types one trains; staff (read-only and above) see every type. */
  protected readonly types = computed(() =>
    this.allTypes().filter((t) => t.trains || hasAccess(this.access(), 'read-only')),
  );
  protected readonly typeId = signal<number | null>(null);
  protected readonly canTrain = computed(() => {
    const type = this.types().find((t) => t.id === this.typeId());
    return !!type && (type.trains || hasAccess(this.access(), 'manager'));
  });
  protected readonly queue = signal<TrainingRequestDto[]>([]);
  private readonly allSessions = signal<TrainingSessionDto[]>([]);
  protected readonly sessions = computed(() => splitSessions(this.allSessions()));
  protected readonly picked = signal<number[]>([]);
  protected readonly capacity = computed(() => Math.max(DEFAULT_CAPACITY, this.picked().length));
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<Message | null>(null);
  protected readonly notice = signal<Message | null>(null);

  constructor() {
    void this.loadTypes();
    effect(() => {
      const id = this.typeId();
      if (id !== null) void this.loadType(id);
    });
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected pickType(event: Event): void {
    this.picked.set([]);
    this.notice.set(null);
    this.typeId.set(Number((event.target as HTMLSelectElement).value));
  }

  protected togglePick(memberId: number, event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    this.picked.update((p) => (on ? [...p, memberId] : p.filter((m) => m !== memberId)));
  }

  protected async plan(event: Event): Promise<void> {
    event.preventDefault();
    const typeId = this.typeId();
    if (typeId === null) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const startsAt = localToIso(fieldText(data, 'startsAt'));
    if (!startsAt) return this.error.set(message('training.plan.date-required'));
    this.busy.set(true);
    this.error.set(null);
    this.notice.set(null);
    try {
      await this.api.plan({
        machineTypeId: typeId,
        startsAt,
        place: fieldText(data, 'place'),
        capacity: Number(data.get('capacity')),
        memberIds: this.picked(),
      });
      form.reset();
      this.picked.set([]);
      this.notice.set(message('training.plan.done'));
      await this.loadType(typeId);
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected reload(): void {
    const id = this.typeId();
    if (id !== null) void this.loadType(id);
  }

  private async loadTypes(): Promise<void> {
    try {
      this.allTypes.set(await this.api.types());
      this.typeId.set(this.types()[0]?.id ?? null);
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.loaded.set(true);
    }
  }

  private async loadType(id: number): Promise<void> {
    try {
      const [queue, sessions] = await Promise.all([this.api.queue(id), this.api.sessions(id)]);
      this.queue.set(queue);
      this.allSessions.set(sessions);
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }
}
