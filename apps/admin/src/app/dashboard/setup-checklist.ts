import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { hasAccess, type SetupProgressDto, type SetupStep } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { merge } from 'rxjs';
import { Auth } from '../core/auth';
import { Live } from '../core/live';
import { SetupApi } from './setup-api';

/** Where each step is done. */
const STEP_LINKS: Record<SetupStep, string> = {
  'machine-type': '/machine-types/new',
  machine: '/machines/new',
  role: '/roles',
  member: '/members/new',
  authorization: '/authorizations',
  board: '/machines',
};

/** An admin's "hide it" (this browser): the checklist hides itself anyway once every step is done. */
const DISMISSED_KEY = 'fabomatic.setup-checklist-dismissed';

/**
 * The first-start checklist on the dashboard (staff): machine type → machine → role → member →
 * authorization → board, each linking to its page and ticked from the lab's data.
 */
@Component({
  selector: 'app-setup-checklist',
  imports: [RouterLink, TranslatePipe],
  template: `
    @if (visible(); as progress) {
      <section class="setup" aria-labelledby="setup-title">
        <h2 id="setup-title">{{ 'setup.title' | translate }}</h2>
        <p>{{ 'setup.intro' | translate }}</p>
        <ol>
          @for (item of progress.steps; track item.step) {
            <li [class.done]="item.done">
              <span class="tick" aria-hidden="true">{{ item.done ? '✔' : '' }}</span>
              <span class="text">
                <a [routerLink]="links[item.step]">{{ 'setup.steps.' + item.step + '.title' | translate }}</a>
                <span class="state">{{ (item.done ? 'setup.done' : 'setup.to-do') | translate }}</span>
                <span class="hint">{{ 'setup.steps.' + item.step + '.hint' | translate }}</span>
              </span>
            </li>
          }
        </ol>
        @if (isAdmin()) {
          <button type="button" (click)="dismiss()">{{ 'setup.dismiss' | translate }}</button>
        }
      </section>
    }
  `,
  styles: `
    .setup {
      margin: 0 0 1rem;
      padding: 0.75rem 1rem;
      border: 1px solid var(--info-border);
      border-radius: 0.5rem;
      background: var(--tint-note);
    }
    h2 {
      margin: 0 0 0.25rem;
      font-size: 1.2rem;
    }
    ol {
      margin: 0.5rem 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      gap: 0.5rem;
      padding: 0.3rem 0;
    }
    .tick {
      flex: 0 0 1.4rem;
      height: 1.4rem;
      border: 2px solid var(--accent);
      border-radius: 50%;
      color: var(--on-accent);
      text-align: center;
      line-height: 1.3rem;
      font-size: 0.8rem;
    }
    li.done .tick {
      background: var(--ok);
      border-color: var(--ok);
    }
    .state {
      margin-left: 0.5rem;
      font-weight: 600;
    }
    li.done .state {
      color: var(--ok);
    }
    .hint {
      display: block;
      color: var(--muted);
      font-size: 0.9rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SetupChecklist {
  private readonly api = inject(SetupApi);
  private readonly auth = inject(Auth);
  protected readonly links = STEP_LINKS;
  protected readonly isAdmin = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'admin'));
  private readonly isStaff = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  private readonly progress = signal<SetupProgressDto | null>(null);
  private readonly dismissed = signal(localStorage.getItem(DISMISSED_KEY) === '1');
  protected readonly visible = computed(() => {
    const progress = this.progress();
    return progress && !progress.complete && !this.dismissed() ? progress : null;
  });

  constructor() {
    if (!this.isStaff() || this.dismissed()) return;
    this.load();
    // A board's first words and the first tap tick the last step off while the page is open.
    const live = inject(Live);
    merge(live.on('board-seen'), live.on('access-event'))
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        if (this.visible()) this.load();
      });
  }

  protected dismiss(): void {
    localStorage.setItem(DISMISSED_KEY, '1');
    this.dismissed.set(true);
  }

  private load(): void {
    void this.api.progress().then(
      (progress) => this.progress.set(progress),
      // The checklist is a help: without it the dashboard works the same.
      () => undefined,
    );
  }
}
