import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { hasAccess, MIN_PASSWORD_LENGTH } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageSwitch } from '../login/language-switch';
import { message } from '../shared/message';
import { FormField } from '../shared/field';

/** The signed-in user's own page: who they are, their card, their password, the portal language. */
@Component({
  selector: 'app-profile',
  imports: [TranslatePipe, LanguageSwitch, RouterLink, FormField],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'profile.title' | translate }}</h1>
      @if (auth.user(); as user) {
        <p>
          {{ user.name }} {{ user.surname }} · {{ user.email }} ·
          {{ 'profile.access.' + user.access | translate }}
        </p>
        <p>
          @if (user.hasCard) {
            {{ 'profile.card.yes' | translate }}
          } @else {
            {{ 'profile.card.none' | translate }}
            @if (canEditMembers()) {
              <a [routerLink]="['/members', user.id]">{{ 'machines.remote.add-card' | translate }}</a>
            } @else {
              {{ 'profile.card.ask' | translate }}
            }
          }
        </p>
      }

      <section class="panel" aria-labelledby="language-title">
        <h2 id="language-title">{{ 'profile.language' | translate }}</h2>
        <app-language-switch />
      </section>

      <section class="panel" aria-labelledby="password-title">
        <h2 id="password-title">{{ 'profile.password.title' | translate }}</h2>
        <form class="stack" (submit)="changePassword($event)">
          <!-- A user who signs in by emailed link and has no password sets one without a current one. -->
          @if (auth.user()?.hasPassword !== false) {
            <app-field controlId="profile-current" label="profile.password.current">
              <input name="current" type="password" autocomplete="current-password" required />
            </app-field>
          }
          <app-field controlId="profile-new" label="profile.password.new" [hint]="newPasswordHint">
            <input
              name="next"
              type="password"
              autocomplete="new-password"
              required
              [attr.minlength]="minLength"
            />
          </app-field>
          <app-field controlId="profile-repeat" label="profile.password.repeat">
            <input name="repeat" type="password" autocomplete="new-password" required />
          </app-field>
          @if (error()) {
            <p class="error" role="alert">{{ error() | translate: { min: minLength } }}</p>
          }
          @if (done()) {
            <p class="notice" role="status">{{ 'profile.password.done' | translate }}</p>
          }
          <div class="actions">
            <button type="submit" class="primary" [disabled]="busy()">
              {{ 'profile.password.submit' | translate }}
            </button>
          </div>
        </form>
      </section>
    </main>
  `,
  styles: `
    .stack {
      display: flex;
      flex-direction: column;
      gap: 0.3rem;
      max-width: 28rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Profile {
  protected readonly auth = inject(Auth);
  /** Managers edit member records, their own card included; others ask one. */
  protected readonly canEditMembers = computed(() =>
    hasAccess(this.auth.user()?.access ?? 'none', 'manager'),
  );
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly newPasswordHint = message('profile.password.hint', { min: MIN_PASSWORD_LENGTH });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal(false);

  protected async changePassword(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const [current, next, repeat] = ['current', 'next', 'repeat'].map((key) => {
      const value = data.get(key);
      return typeof value === 'string' ? value : '';
    });
    this.error.set(null);
    this.done.set(false);
    if (next.length < MIN_PASSWORD_LENGTH) return this.error.set('profile.password.too-short');
    if (next !== repeat) return this.error.set('profile.password.mismatch');
    this.busy.set(true);
    try {
      await this.auth.changePassword(this.auth.user()?.hasPassword === false ? undefined : current, next);
      form.reset();
      this.done.set(true);
    } catch (error) {
      this.error.set(errorKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
