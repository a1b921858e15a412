import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { TrainingRequestDto, TrainingTypeDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../../core/api-error';
import { LanguageService } from '../../core/language';
import { FormField } from '../../shared/field';
import { fieldText, formatDateTime } from '../../shared/localised';
import { type Message, MessagePipe, message } from '../../shared/message';
import { TrainingApi } from '../../training/training-api';
import { cancellable } from '../../training/training-logic';

/** A member asks for training on a machine type and follows their requests and planned sessions. */
@Component({
  selector: 'app-my-training',
  imports: [TranslatePipe, MessagePipe, FormField],
  styleUrls: ['../../shared/page.css', '../../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'my-training.title' | translate }}</h1>
      <p>{{ 'my-training.intro' | translate }}</p>

      <section class="panel" aria-labelledby="ask-title">
        <h2 id="ask-title">{{ 'my-training.ask.title' | translate }}</h2>
        @if (askable().length === 0 && loaded()) {
          <p>{{ 'my-training.ask.nothing' | translate }}</p>
        } @else {
          <form class="stack" (submit)="ask($event)">
            <app-field controlId="training-type" label="my-training.ask.type">
              <select name="machineTypeId" required>
                @for (type of askable(); track type.id) {
                  <option [value]="type.id">
                    {{ type.name }}
                    @if (type.machineNames.length) {
                      ({{ type.machineNames.join(', ') }})
                    }
                  </option>
                }
              </select>
            </app-field>
            <app-field
              controlId="training-note"
              label="my-training.ask.note"
              hint="my-training.ask.note-hint"
            >
              <textarea name="note" rows="3" maxlength="500"></textarea>
            </app-field>
            <div class="actions">
              <button type="submit" class="primary" [disabled]="busy()">
                {{ 'my-training.ask.submit' | translate }}
              </button>
            </div>
          </form>
        }
        @if (authorizedNames()) {
          <p class="hint">{{ 'my-training.ask.authorized' | translate: { types: authorizedNames() } }}</p>
        }
        @if (error()) {
          <p class="error" role="alert">{{ error() | message }}</p>
        }
        @if (notice()) {
          <p class="notice" role="status">{{ notice() | message }}</p>
        }
      </section>

      <section aria-labelledby="requests-title">
        <h2 id="requests-title">{{ 'my-training.requests.title' | translate }}</h2>
        @if (requests().length === 0) {
          <p>{{ 'my-training.requests.none' | translate }}</p>
        } @else {
          <ul class="cards">
            @for (request of requests(); track request.id) {
              <li class="panel">
                <h3>{{ request.machineTypeName }}</h3>
                <p>
                  <strong>{{ 'training.states.' + request.state | translate }}</strong> ·
                  {{ 'my-training.requests.asked' | translate: { date: dateTime(request.createdAt) } }}
                </p>
                @if (request.note) {
                  <p>{{ request.note }}</p>
                }
                @if (request.session; as session) {
                  <p>
                    {{
                      'my-training.requests.session'
                        | translate
                          : {
                              date: dateTime(session.startsAt),
                              place: session.place,
                              trainer: session.trainerName,
                            }
                    }}
                    @if (session.outcome !== 'pending') {
                      · {{ 'training.outcomes.' + session.outcome | translate }}
                    }
                  </p>
                }
                @if (canCancel(request)) {
                  <div class="actions">
                    <button type="button" [disabled]="busy()" (click)="cancel(request)">
                      {{ 'my-training.requests.cancel' | translate: { type: request.machineTypeName } }}
                    </button>
                  </div>
                }
              </li>
            }
          </ul>
        }
      </section>
    </main>
  `,
  styles: `
    .stack {
      display: flex;
      flex-direction: column;
      gap: 0.3rem;
      max-width: 32rem;
    }
    textarea,
    select {
      max-width: 100%;
    }
    .cards {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }
    .cards h3 {
      margin: 0 0 0.3rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyTraining {
  private readonly api = inject(TrainingApi);
  private readonly language = inject(LanguageService);
  protected readonly types = signal<TrainingTypeDto[]>([]);
  protected readonly requests = signal<TrainingRequestDto[]>([]);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<Message | null>(null);
  protected readonly notice = signal<Message | null>(null);
  protected readonly canCancel = cancellable;

  /** Types not yet authorized everywhere and without a live request. */
  protected readonly askable = computed(() => {
    const live = new Set(
      this.requests()
        .filter(cancellable)
        .map((r) => r.machineTypeId),
    );
    return this.types().filter((t) => !t.authorized && !live.has(t.id));
  });
  protected readonly authorizedNames = computed(() =>
    this.types()
      .filter((t) => t.authorized)
      .map((t) => t.name)
      .join(', '),
  );

  constructor() {
    void this.load();
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected async ask(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const note = fieldText(data, 'note');
    await this.act(async () => {
      const created = await this.api.ask({
        machineTypeId: Number(data.get('machineTypeId')),
        ...(note ? { note } : {}),
      });
      form.reset();
      this.notice.set(message('my-training.ask.done', { type: created.machineTypeName }));
    });
  }

  protected async cancel(request: TrainingRequestDto): Promise<void> {
    await this.act(async () => {
      await this.api.cancel(request.id);
      this.notice.set(message('my-training.requests.cancelled', { type: request.machineTypeName }));
    });
  }

  private async act(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.notice.set(null);
    try {
      await work();
      await this.load();
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  private async load(): Promise<void> {
    try {
      const [types, requests] = await Promise.all([this.api.types(), this.api.myRequests()]);
      this.types.set(types);
      this.requests.set(requests);
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.loaded.set(true);
    }
  }
}
