import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { MachineStatusDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';

/** First version of the dashboard: one card per machine with its status (live updates: issue 4). */
@Component({
  selector: 'app-dashboard',
  imports: [TranslatePipe],
  styleUrl: './dashboard.css',
  template: `
    <main>
      <h1>{{ 'dashboard.title' | translate }}</h1>
      <ul class="cards">
        @for (machine of machines(); track machine.machineId) {
          <li class="card" [attr.data-status]="machine.status">
            <h2>{{ machine.name }}</h2>
            <p class="status">{{ 'status.' + machine.status | translate }}</p>
            @if (machine.session) {
              <p>{{ machine.session.memberName }}</p>
            }
          </li>
        } @empty {
          <li>{{ 'dashboard.empty' | translate }}</li>
        }
      </ul>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Dashboard {
  private readonly http = inject(HttpClient);
  protected readonly machines = signal<readonly MachineStatusDto[]>([]);

  constructor() {
    void firstValueFrom(this.http.get<MachineStatusDto[]>('/api/machines/status')).then((list) =>
      this.machines.set(list),
    );
  }
}
