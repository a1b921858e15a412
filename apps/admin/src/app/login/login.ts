import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { explainError } from '../core/api-error';
import { Auth } from '../core/auth';
import { type Message, MessagePipe } from '../shared/message';
import { FormField } from '../shared/field';
import { LanguageSwitch } from './language-switch';

@Component({
  selector: 'app-login',
  imports: [FormsModule, TranslatePipe, MessagePipe, LanguageSwitch, RouterLink, FormField],
  styleUrl: './login.css',
  template: `
    <main class="card">
      <h1>FabOMatic</h1>
      <form (ngSubmit)="submit()">
        <app-field controlId="email" label="login.email">
          <input name="email" type="email" autocomplete="username" required [(ngModel)]="email" />
        </app-field>
        <app-field controlId="password" label="login.password">
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            [(ngModel)]="password"
          />
        </app-field>
        @if (error()) {
          <p class="error" role="alert">{{ error() | message }}</p>
        }
        <button type="submit" [disabled]="busy()">{{ 'login.submit' | translate }}</button>
      </form>
      <p>
        <a routerLink="/forgot-password">{{ 'forgot.link' | translate }}</a>
      </p>
      <app-language-switch />
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Login {
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  protected email = '';
  protected password = '';
  protected readonly error = signal<Message | string | null>(null);
  protected readonly busy = signal(false);

  protected async submit(): Promise<void> {
    this.error.set(null);
    const missing = missingField(this.email, this.password);
    if (missing) {
      this.error.set(missing);
      return;
    }
    this.busy.set(true);
    try {
      const user = await this.auth.login(this.email, this.password);
      await this.router.navigateByUrl(user.mustChangePassword ? '/password' : '/');
    } catch (error) {
      // A value the API refuses (an email address it cannot read) is said with the rule it breaks.
      this.error.set(explainError(error));
    } finally {
      this.busy.set(false);
    }
  }
}

/** The translation key saying which of the fields is still empty, if any. */
function missingField(email: string, password: string): string | null {
  if (!email.trim()) return password ? 'login.missing-email' : 'login.missing-both';
  return password ? null : 'login.missing-password';
}
