import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MIN_PASSWORD_LENGTH } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../../core/api-error';
import { Auth } from '../../core/auth';
import { LanguageSwitch } from '../../login/language-switch';
import { FormField } from '../../shared/field';
import { message } from '../../shared/message';

/**
 * The member's profile: who they are, the portal language, and their password. A member who signs
 * in by emailed link and has no password sets one without a current password.
 */
@Component({
  selector: 'app-me-profile',
  imports: [TranslatePipe, LanguageSwitch, FormField],
  styleUrls: ['../../shared/page.css', '../../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'me.profile.title' | translate }}</h1>
      @if (auth.user(); as user) {
        <p>{{ user.name }} {{ user.surname }} · {{ user.email }}</p>
      }

      <section class="panel" aria-labelledby="me-language-title">
        <h2 id="me-language-title">{{ 'profile.language' | translate }}</h2>
        <app-language-switch />
      </section>

      <section class="panel" aria-labelledby="me-password-title">
        <h2 id="me-password-title">
          {{ (hasPassword() ? 'profile.password.title' : 'me.profile.set-password') | translate }}
        </h2>
        @if (!hasPassword()) {
          <p>{{ 'me.profile.no-password' | translate }}</p>
        }
        <form class="stack" (submit)="changePassword($event)">
          @if (hasPassword()) {
            <app-field controlId="me-current" label="profile.password.current">
              <input name="current" type="password" autocomplete="current-password" required />
            </app-field>
          }
          <app-field controlId="me-new" label="profile.password.new" [hint]="newPasswordHint">
            <input
              name="next"
              type="password"
              autocomplete="new-password"
              required
              [attr.minlength]="minLength"
            />
          </app-field>
          <app-field controlId="me-repeat" label="profile.password.repeat">
            <input name="repeat" type="password" autocomplete="new-password" required />
          </app-field>
          @if (error()) {
            <p class="error" role="alert">{{ error() ?? '' | translate: { min: minLength } }}</p>
          }
          @if (done()) {
            <p class="notice" role="status">{{ 'profile.password.done' | translate }}</p>
          }
          <div class="actions">
            <button type="submit" class="primary" [disabled]="busy()">
              {{ (hasPassword() ? 'profile.password.submit' : 'me.profile.set-password') | translate }}
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
export class MeProfile {
  protected readonly auth = inject(Auth);
  protected readonly hasPassword = computed(() => this.auth.user()?.hasPassword !== false);
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly newPasswordHint = message('profile.password.hint', { min: MIN_PASSWORD_LENGTH });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal(false);

  protected async changePassword(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const field = (key: string) => {
      const value = data.get(key);
      return typeof value === 'string' ? value : '';
    };
    const [next, repeat] = [field('next'), field('repeat')];
    this.error.set(null);
    this.done.set(false);
    if (next.length < MIN_PASSWORD_LENGTH) return this.error.set('profile.password.too-short');
    if (next !== repeat) return this.error.set('profile.password.mismatch');
    this.busy.set(true);
    try {
      await this.auth.changePassword(this.hasPassword() ? field('current') : undefined, next);
      form.reset();
      this.done.set(true);
    } catch (error) {
      this.error.set(errorKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
