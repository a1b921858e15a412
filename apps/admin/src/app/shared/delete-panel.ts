import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../core/api-error';
import { type Message, MessagePipe } from './message';
import { deleteWithConfirmation } from './delete-confirmation';

type Step = 'idle' | 'asking' | 'counting' | 'done';

/**
 * A Delete button and its confirmation. The first delete is sent unconfirmed: when the API answers
 * what it would take with it (409 with counts), those counts are shown and a second, confirmed,
 * delete does it. Texts come from `<namespace>.delete.*`; what the element holds is said in the
 * confirmation before `<namespace>.delete.what` (such as the machines a member is using).
 */
@Component({
  selector: 'app-delete-panel',
  imports: [RouterLink, TranslatePipe, MessagePipe],
  styleUrls: ['./page.css', './form-page.css'],
  template: `
    @let ns = namespace();
    @switch (step()) {
      @case ('idle') {
        <div class="actions">
          <button type="button" class="danger" (click)="ask()">
            {{ ns + '.delete.button' | translate }}
          </button>
        </div>
      }
      @case ('done') {
        @if (notice()) {
          <div class="notice" role="status">
            <p>{{ ns + '.delete.done' | translate: result() }}</p>
            <a [routerLink]="backLink()">{{ ns + '.back' | translate }}</a>
          </div>
        }
      }
      @default {
        <section
          class="confirm"
          role="alertdialog"
          aria-labelledby="delete-title"
          aria-describedby="delete-what"
        >
          <h2 id="delete-title" tabindex="-1" #title>
            {{ ns + '.delete.title' | translate: { name: name() } }}
          </h2>
          @if (step() === 'counting') {
            <div id="delete-what" aria-live="polite">
              @if (inUseBy(); as user) {
                <p class="warning" data-testid="delete-in-use">
                  {{ ns + '.delete.in-use' | translate: { name: user } }}
                </p>
              }
              <p>{{ ns + '.delete.takes' | translate }}</p>
              <ul>
                @for (count of counts(); track count.key) {
                  <li>{{ ns + '.delete.counts.' + count.key | translate: { count: count.value } }}</li>
                }
              </ul>
            </div>
          } @else {
            <div id="delete-what">
              <ng-content />
              <p>{{ ns + '.delete.what' | translate }}</p>
            </div>
          }
          @if (error(); as failure) {
            <p class="error" role="alert">{{ failure | message }}</p>
          }
          <div class="actions">
            <button type="button" class="danger" [disabled]="busy()" (click)="remove()">
              {{ (step() === 'counting' ? ns + '.delete.confirm-all' : ns + '.delete.confirm') | translate }}
            </button>
            <button type="button" (click)="cancel()">{{ ns + '.delete.cancel' | translate }}</button>
          </div>
        </section>
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeletePanel {
  private readonly http = inject(HttpClient);
  readonly url = input.required<string>();
  readonly name = input.required<string>();
  /** The translation namespace of the page (`machines`, `machine-types`, `maintenance.plans`). */
  readonly namespace = input.required<string>();
  /** Where "back" goes once deleted. */
  readonly backLink = input<string>('/machines');
  /** Whether the panel says what the delete did; false: the page says it (from `deletedChange`). */
  readonly notice = input(true);
  /** The confirmation opens: the page may fill what the panel projects into it. */
  readonly askingChange = output<void>();
  /** Deleted, with what the API answered. */
  readonly deletedChange = output<unknown>();

  protected readonly step = signal<Step>('idle');
  protected readonly busy = signal(false);
  protected readonly error = signal<Message | null>(null);
  protected readonly result = signal<Readonly<Record<string, unknown>>>({});
  private readonly pending = signal<Readonly<Record<string, number>>>({});
  /** Who is using the thing being deleted, when the API says so. */
  protected readonly inUseBy = signal<string | null>(null);
  protected readonly counts = computed(() =>
    Object.entries(this.pending()).map(([key, value]) => ({ key, value })),
  );
  private readonly title = viewChild<ElementRef<HTMLElement>>('title');

  constructor() {
    effect(() => this.title()?.nativeElement.focus());
  }

  protected ask(): void {
    this.step.set('asking');
    this.askingChange.emit();
  }

  protected cancel(): void {
    this.step.set('idle');
    this.error.set(null);
  }

  protected async remove(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const outcome = await deleteWithConfirmation<Record<string, unknown> | null>(
        this.http,
        this.url(),
        this.step() === 'counting',
      );
      if ('counts' in outcome) {
        this.pending.set(outcome.counts);
        this.inUseBy.set(outcome.inUseBy ?? null);
        this.step.set('counting');
      } else {
        this.result.set(outcome.deleted ?? {});
        this.step.set('done');
        this.deletedChange.emit(outcome.deleted);
      }
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
