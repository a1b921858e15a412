import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey, explainError } from '../core/api-error';
import { Auth } from '../core/auth';
import { AuthApi } from '../core/auth-api';
import { afterSignIn } from '../core/auth.guard';
import { type Message, MessagePipe } from '../shared/message';
import { FormField } from '../shared/field';
import { LanguageSwitch } from './language-switch';

/** What the "email me a link" side of the page shows. */
type LinkState = 'form' | 'sent' | 'not-configured';

/**
 * Sign-in: email and password, or an emailed sign-in link (members mostly). The link form
 * replaces the password form (one Email field at a time); its answer is the same whatever the
 * address.
 */
@Component({
  selector: 'app-login',
  imports: [FormsModule, TranslatePipe, MessagePipe, LanguageSwitch, RouterLink, FormField],
  styleUrl: './login.css',
  template: `
    <main class="card">
      <h1>FabOMatic</h1>
      @if (!byLink()) {
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
        <p>
          <button type="button" class="secondary" (click)="showLinkForm()">
            {{ 'login.link.ask' | translate }}
          </button>
        </p>
      } @else {
        <h2>{{ 'login.link.title' | translate }}</h2>
        @if (linkState() === 'sent') {
          <p role="status">{{ 'login.link.sent' | translate }}</p>
        } @else if (linkState() === 'not-configured') {
          <p class="error" role="alert">{{ 'login.link.not-configured' | translate }}</p>
        } @else {
          <p>{{ 'login.link.intro' | translate }}</p>
          <form (ngSubmit)="sendLink()">
            <app-field controlId="link-email" label="login.email">
              <input name="email" type="email" autocomplete="username" required [(ngModel)]="email" />
            </app-field>
            @if (error()) {
              <p class="error" role="alert">{{ error() | message }}</p>
            }
            <button type="submit" [disabled]="busy()">{{ 'login.link.submit' | translate }}</button>
          </form>
        }
        <p>
          <button type="button" class="secondary" (click)="showPasswordForm()">
            {{ 'login.link.back' | translate }}
          </button>
        </p>
      }
      <app-language-switch />
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Login {
  private readonly auth = inject(Auth);
  private readonly api = inject(AuthApi);
  private readonly router = inject(Router);
  protected email = '';
  protected password = '';
  protected readonly error = signal<Message | string | null>(null);
  protected readonly busy = signal(false);
  /** Signing in by emailed link rather than by password. */
  protected readonly byLink = signal(false);
  protected readonly linkState = signal<LinkState>('form');

  protected showLinkForm(): void {
    this.error.set(null);
    this.linkState.set('form');
    this.byLink.set(true);
  }

  protected showPasswordForm(): void {
    this.error.set(null);
    this.byLink.set(false);
  }

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
      await this.router.navigateByUrl(afterSignIn(user));
    } catch (error) {
      // A value the API refuses (an email address it cannot read) is said with the rule it breaks.
      this.error.set(explainError(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async sendLink(): Promise<void> {
    this.error.set(null);
    if (!this.email.trim()) {
      this.error.set('login.missing-email');
      return;
    }
    this.busy.set(true);
    try {
      await this.api.magicLink({ email: this.email.trim() });
      this.linkState.set('sent');
    } catch (error) {
      if (errorKey(error) === 'errors.EMAIL_NOT_CONFIGURED') this.linkState.set('not-configured');
      else this.error.set(explainError(error));
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
