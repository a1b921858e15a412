import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  input,
  type OnDestroy,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartData,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';

// Only what bar charts need, so the lazy reports chunk stays small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** A bar chart (stacked or horizontal) on a canvas; the page shows the same figures as text too. */
@Component({
  selector: 'app-bar-chart',
  template: `<div class="frame"><canvas #canvas role="img" [attr.aria-label]="label()"></canvas></div>`,
  styles: `
    .frame {
      position: relative;
      height: 18rem;
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BarChart implements OnDestroy {
  readonly data = input.required<ChartData<'bar'>>();
  readonly label = input.required<string>();
  readonly stacked = input(false);
  readonly horizontal = input(false);
  readonly locale = input('en');
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart<'bar'> | null = null;

  constructor() {
    afterRenderEffect(() => {
      const data = this.data();
      const stacked = this.stacked();
      this.chart?.destroy();
      this.chart = new Chart<'bar'>(this.canvas().nativeElement, {
        type: 'bar',
        data,
        options: {
          locale: this.locale(),
          indexAxis: this.horizontal() ? 'y' : 'x',
          maintainAspectRatio: false,
          animation: false,
          scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
          plugins: { legend: { display: true, position: 'bottom' } },
        },
      });
    });
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
