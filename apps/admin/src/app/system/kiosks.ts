import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { KIOSK_NAME_MAX, type KioskDto, LAB_NAME_MAX, type LabSettingsDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey, errorMessage } from '../core/api-error';
import { LanguageService } from '../core/language';
import { type Message, MessagePipe } from '../shared/message';
import { formatDateTime } from '../shared/time-format';
import { KiosksApi } from './kiosks-api';

/** A kiosk just created: its screen's address, shown this once. */
interface Created {
  readonly name: string;
  readonly url: string;
}

/**
 * Kiosk screens (issue 14, managers): create one for a TV (its address shown once, with a copy
 * button), list and revoke them; and the lab's settings the kiosk reads (lab name, first names).
 */
@Component({
  selector: 'app-kiosks',
  imports: [TranslatePipe, MessagePipe],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  styles: `
    .url {
      overflow-wrap: anywhere;
    }
    form {
      display: flex;
      gap: 0.75rem;
      align-items: end;
      flex-wrap: wrap;
      margin: 0.5rem 0 1rem;
    }
    form label {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
    }
    form label.check {
      flex-direction: row;
      align-items: center;
    }
  `,
  template: `
    <main>
      <h1>{{ 'kiosks.title' | translate }}</h1>
      <p class="hint">{{ 'kiosks.intro' | translate }}</p>

      <section aria-labelledby="kiosk-settings-title">
        <h2 id="kiosk-settings-title">{{ 'kiosks.settings.title' | translate }}</h2>
        @if (settings.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        }
        <form (submit)="$event.preventDefault(); saveSettings()">
          <label>
            {{ 'kiosks.settings.lab-name' | translate }}
            <input
              type="text"
              name="labName"
              [maxLength]="labNameMax"
              [value]="labName()"
              (input)="labName.set($any($event.target).value)"
            />
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="firstNames"
              [checked]="firstNames()"
              (change)="firstNames.set($any($event.target).checked)"
            />
            {{ 'kiosks.settings.first-names' | translate }}
          </label>
          <button type="submit" [disabled]="busy()">{{ 'kiosks.settings.save' | translate }}</button>
        </form>
        <p class="hint">{{ 'kiosks.settings.first-names-hint' | translate }}</p>
        @if (settingsSaved()) {
          <p class="notice" role="status">{{ 'kiosks.settings.saved' | translate }}</p>
        }
      </section>

      <section aria-labelledby="kiosk-new-title">
        <h2 id="kiosk-new-title">{{ 'kiosks.new.title' | translate }}</h2>
        <form (submit)="$event.preventDefault(); create()">
          <label>
            {{ 'kiosks.new.name' | translate }}
            <input
              type="text"
              name="kioskName"
              required
              [maxLength]="nameMax"
              [value]="name()"
              (input)="name.set($any($event.target).value)"
              [attr.placeholder]="'kiosks.new.placeholder' | translate"
            />
          </label>
          <button type="submit" [disabled]="busy() || !name().trim()">
            {{ 'kiosks.new.create' | translate }}
          </button>
        </form>
        @if (created(); as shown) {
          <section class="notice" role="status" aria-labelledby="kiosk-created-title">
            <h3 id="kiosk-created-title">{{ 'kiosks.created.title' | translate: { name: shown.name } }}</h3>
            <p>{{ 'kiosks.created.once' | translate }}</p>
            <p class="mono url" data-testid="kiosk-url">{{ shown.url }}</p>
            <button type="button" (click)="copy(shown.url)">{{ 'kiosks.created.copy' | translate }}</button>
            @if (copied()) {
              <span>{{ 'kiosks.created.copied' | translate }}</span>
            }
            <button type="button" (click)="created.set(null)">{{ 'kiosks.created.done' | translate }}</button>
          </section>
        }
      </section>
      @if (failure(); as message) {
        <p class="error" role="alert">{{ message | message }}</p>
      }

      <section aria-labelledby="kiosk-list-title">
        <h2 id="kiosk-list-title">{{ 'kiosks.list.title' | translate }}</h2>
        @if (kiosks.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        } @else if (kiosks.hasValue() && kiosks.value().length === 0) {
          <p>{{ 'kiosks.list.none' | translate }}</p>
        } @else if (kiosks.hasValue()) {
          <div class="table">
            <table>
              <thead>
                <tr>
                  <th scope="col">{{ 'kiosks.list.name' | translate }}</th>
                  <th scope="col">{{ 'kiosks.list.created' | translate }}</th>
                  <th scope="col">{{ 'kiosks.list.last-used' | translate }}</th>
                  <th scope="col">{{ 'kiosks.list.state' | translate }}</th>
                  <th scope="col">
                    <span class="visually-hidden">{{ 'kiosks.list.actions' | translate }}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                @for (kiosk of kiosks.value(); track kiosk.id) {
                  <tr [attr.data-testid]="'kiosk-row-' + kiosk.id">
                    <td>{{ kiosk.name }}</td>
                    <td>
                      {{ when(kiosk.createdAt) }}
                      @if (kiosk.createdBy) {
                        ({{ kiosk.createdBy }})
                      }
                    </td>
                    <td>
                      {{ kiosk.lastUsedAt ? when(kiosk.lastUsedAt) : ('kiosks.list.never' | translate) }}
                    </td>
                    <td>
                      {{
                        kiosk.revokedAt
                          ? ('kiosks.list.revoked' | translate: { when: when(kiosk.revokedAt) })
                          : ('kiosks.list.active' | translate)
                      }}
                    </td>
                    <td>
                      @if (!kiosk.revokedAt) {
                        @if (revoking() === kiosk.id) {
                          <span>{{ 'kiosks.list.revoke-confirm' | translate }}</span>
                          <button type="button" [disabled]="busy()" (click)="revoke(kiosk)">
                            {{ 'kiosks.list.revoke-yes' | translate }}
                          </button>
                          <button type="button" (click)="revoking.set(null)">
                            {{ 'kiosks.list.cancel' | translate }}
                          </button>
                        } @else {
                          <button type="button" (click)="revoking.set(kiosk.id)">
                            {{ 'kiosks.list.revoke' | translate: { name: kiosk.name } }}
                          </button>
                        }
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      </section>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Kiosks {
  private readonly api = inject(KiosksApi);
  private readonly language = inject(LanguageService);

  protected readonly errorKey = errorKey;
  protected readonly nameMax = KIOSK_NAME_MAX;
  protected readonly labNameMax = LAB_NAME_MAX;
  protected readonly kiosks = httpResource<KioskDto[]>(() => this.api.listRequest());
  protected readonly settings = httpResource<LabSettingsDto>(() => this.api.settingsRequest());
  protected readonly name = signal('');
  protected readonly labName = signal('');
  protected readonly firstNames = signal(false);
  protected readonly busy = signal(false);
  protected readonly failure = signal<Message | string | null>(null);
  protected readonly created = signal<Created | null>(null);
  protected readonly copied = signal(false);
  protected readonly settingsSaved = signal(false);
  protected readonly revoking = signal<number | null>(null);

  constructor() {
    effect(() => {
      if (!this.settings.hasValue()) return;
      const settings = this.settings.value();
      this.labName.set(settings.labName ?? '');
      this.firstNames.set(settings.kioskShowsFirstNames);
    });
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected async create(): Promise<void> {
    await this.run(async () => {
      const kiosk = await this.api.create({ name: this.name().trim() });
      // The screen's address on this portal's own origin (the API's `url` uses PUBLIC_URL).
      this.created.set({ name: kiosk.name, url: `${location.origin}/kiosk#token=${kiosk.token}` });
      this.copied.set(false);
      this.name.set('');
      this.kiosks.reload();
    });
  }

  protected async revoke(kiosk: KioskDto): Promise<void> {
    await this.run(async () => {
      await this.api.revoke(kiosk.id);
      this.revoking.set(null);
      this.kiosks.reload();
    });
  }

  protected async saveSettings(): Promise<void> {
    this.settingsSaved.set(false);
    await this.run(async () => {
      await this.api.updateSettings({
        labName: this.labName().trim() || null,
        kioskShowsFirstNames: this.firstNames(),
      });
      this.settingsSaved.set(true);
      this.settings.reload();
    });
  }

  protected copy(url: string): void {
    void navigator.clipboard.writeText(url).then(
      () => this.copied.set(true),
      () => this.copied.set(false),
    );
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.failure.set(null);
    try {
      await work();
    } catch (error) {
      this.failure.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
