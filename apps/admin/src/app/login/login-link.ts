import { ChangeDetectionStrategy, Component, inject, type OnInit, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { afterSignIn } from '../core/auth.guard';

/** The token of a sign-in link: in the fragment (`#token=…`, never sent to a server) or the query. */
export function linkToken(fragment: string | null, query: string | null): string | null {
  const fromFragment = fragment ? new URLSearchParams(fragment).get('token') : null;
  return fromFragment ?? query ?? null;
}

/**
 * Where an emailed sign-in link lands: the page POSTs the token (a mail scanner fetching the link
 * signs nobody in), drops it from the address bar, and goes to the user's home.
 */
@Component({
  selector: 'app-login-link',
  imports: [TranslatePipe, RouterLink],
  styleUrl: './login.css',
  template: `
    <main class="card">
      <h1>{{ 'login.link.landing' | translate }}</h1>
      @if (error()) {
        <p class="error" role="alert">{{ error() ?? '' | translate }}</p>
        <a routerLink="/login">{{ 'login.link.again' | translate }}</a>
      } @else {
        <p role="status">{{ 'login.link.checking' | translate }}</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginLink implements OnInit {
  private readonly auth = inject(Auth);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.signIn();
  }

  private async signIn(): Promise<void> {
    const snapshot = this.route.snapshot;
    const token = linkToken(snapshot.fragment, snapshot.queryParamMap.get('token'));
    // The token is used up now: it leaves the address bar (and the browser history) at once.
    history.replaceState(history.state, '', '/login/link');
    if (!token) {
      this.error.set('errors.MAGIC_LINK_INVALID');
      return;
    }
    try {
      const user = await this.auth.signInWithLink(token);
      await this.router.navigateByUrl(afterSignIn(user), { replaceUrl: true });
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }
}
