import { Injectable, computed, inject, signal } from '@angular/core';
import type { CurrentUser } from '@fabomatic/contracts';
import { AuthApi } from './auth-api';

/** The signed-in portal user (a signal), and the session calls. */
@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly api = inject(AuthApi);
  private readonly current = signal<CurrentUser | null | undefined>(undefined);

  readonly user = this.current.asReadonly();
  readonly signedIn = computed(() => !!this.current());

  /** Asks the API who is signed in (the session cookie is httpOnly: the page cannot read it). */
  async refresh(): Promise<CurrentUser | null> {
    try {
      this.current.set(await this.api.me());
    } catch {
      this.current.set(null);
    }
    return this.current() ?? null;
  }

  async login(email: string, password: string): Promise<CurrentUser> {
    const user = await this.api.login({ email, password });
    this.current.set(user);
    return user;
  }

  /** Signs in with an emailed link's token. */
  async signInWithLink(token: string): Promise<CurrentUser> {
    const user = await this.api.verifyMagicLink({ token });
    this.current.set(user);
    return user;
  }

  /** `currentPassword` is left out by a user who has none yet (signed in by emailed link). */
  async changePassword(currentPassword: string | undefined, newPassword: string): Promise<void> {
    this.current.set(
      await this.api.changePassword(
        currentPassword === undefined ? { newPassword } : { currentPassword, newPassword },
      ),
    );
  }

  async logout(): Promise<void> {
    await this.api.logout();
    this.current.set(null);
  }
}
