import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { ProblemReportForm } from '../../problems/problem-report-form';

/** `/me/report`: a member reports a problem on a machine they may use (`?machineId=` picks one). */
@Component({
  selector: 'app-report-problem',
  imports: [TranslatePipe, ProblemReportForm],
  styleUrls: ['../../shared/page.css'],
  template: `
    <main>
      <h1>{{ 'problems.form.title' | translate }}</h1>
      <p class="hint">{{ 'problems.form.intro' | translate }}</p>
      <app-problem-report-form [preselect]="preselected()" />
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportProblem {
  /** Query param `?machineId=`. */
  readonly machineId = input<string>();
  protected readonly preselected = computed(() => {
    const id = Number(this.machineId());
    return Number.isInteger(id) && id > 0 ? id : null;
  });
}
