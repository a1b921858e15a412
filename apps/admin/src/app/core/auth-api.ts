import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  ChangePasswordRequest,
  CurrentUser,
  ForgotPasswordOptions,
  ForgotPasswordRequest,
  LoginRequest,
  MagicLinkRequest,
  MagicLinkVerifyRequest,
  ResetPasswordRequest,
} from '@fabomatic/contracts';
import { firstValueFrom } from 'rxjs';

export const AUTH_URL = '/api/auth';

/** The session API: who is signed in, signing in and out, and passwords. */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  me(): Promise<CurrentUser> {
    return firstValueFrom(this.http.get<CurrentUser>(`${AUTH_URL}/me`));
  }

  login(body: LoginRequest): Promise<CurrentUser> {
    return firstValueFrom(this.http.post<CurrentUser>(`${AUTH_URL}/login`, body));
  }

  changePassword(body: ChangePasswordRequest): Promise<CurrentUser> {
    return firstValueFrom(this.http.post<CurrentUser>(`${AUTH_URL}/password`, body));
  }

  async logout(): Promise<void> {
    await firstValueFrom(this.http.post(`${AUTH_URL}/logout`, {}));
  }

  /** Emails a sign-in link to the address, if it is a member's who may sign in (the same answer either way). */
  async magicLink(body: MagicLinkRequest): Promise<void> {
    await firstValueFrom(this.http.post(`${AUTH_URL}/magic-link`, body));
  }

  /** Signs in with the token of an emailed link (a POST: a mail scanner opening the link uses nothing). */
  verifyMagicLink(body: MagicLinkVerifyRequest): Promise<CurrentUser> {
    return firstValueFrom(this.http.post<CurrentUser>(`${AUTH_URL}/magic-link/verify`, body));
  }

  /** Whether reset links can be emailed at all. */
  forgotOptions(): Promise<ForgotPasswordOptions> {
    return firstValueFrom(this.http.get<ForgotPasswordOptions>(`${AUTH_URL}/forgot`));
  }

  /** Emails a reset link to the address, if it is a member's. */
  async forgot(body: ForgotPasswordRequest): Promise<void> {
    await firstValueFrom(this.http.post(`${AUTH_URL}/forgot`, body));
  }

  /** Sets a new password with the token of a reset link. */
  async reset(body: ResetPasswordRequest): Promise<void> {
    await firstValueFrom(this.http.post(`${AUTH_URL}/reset`, body));
  }
}
