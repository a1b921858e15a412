import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { CurrentUser } from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

/** The signed-in portal user (a signal), and the session calls. */
@Injectable({ providedIn: 'root' })
export class Auth {
  private readonly http = inject(HttpClient);
  private readonly current = signal<CurrentUser | null | undefined>(undefined);

  readonly user = this.current.asReadonly();
  readonly signedIn = computed(() => !!this.current());

  /** Asks the API who is signed in (the session cookie is httpOnly: the page cannot read it). */
  async refresh(): Promise<CurrentUser | null> {
    try {
      this.current.set(await firstValueFrom(this.http.get<CurrentUser>('/api/auth/me')));
    } catch {
      this.current.set(null);
    }
    return this.current() ?? null;
  }

  async login(email: string, password: string): Promise<CurrentUser> {
    const user = await firstValueFrom(this.http.post<CurrentUser>('/api/auth/login', { email, password }));
    this.current.set(user);
    return user;
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    this.current.set(
      await firstValueFrom(
        this.http.post<CurrentUser>('/api/auth/password', { currentPassword, newPassword }),
      ),
    );
  }

  async logout(): Promise<void> {
    await firstValueFrom(this.http.post('/api/auth/logout', {}));
    this.current.set(null);
  }
}
