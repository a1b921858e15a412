import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/<pid>/stat times (100 on every Linux we target). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcSnapshot {
  readonly at: number;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
  readonly rssBytes: number;
}

export interface ProcUsage {
  /** Average CPU over the window, percent of one core. */
  readonly cpuPercent: number;
  /** CPU time used in the window. */
  readonly cpuSeconds: number;
  /** Highest RSS sampled in the window. */
  readonly peakRssBytes: number;
}

/** Reads a process's CPU time and resident memory from /proc (Linux); null when it is gone. */
export function readProc(pid: number): ProcSnapshot | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields restart after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
    return { at: performance.now(), cpuTicks: utime + stime, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

/** Samples a process periodically; windows report average CPU and peak RSS. */
export class ProcSampler {
  private readonly samples: ProcSnapshot[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes a sample now and returns it (the start or end of a window). */
  sample(): ProcSnapshot | null {
    const snapshot = readProc(this.pid);
    if (snapshot) this.samples.push(snapshot);
    return snapshot;
  }

  usageBetween(from: ProcSnapshot, to: ProcSnapshot): ProcUsage {
    const seconds = (to.at - from.at) / 1000;
    const cpuSeconds = (to.cpuTicks - from.cpuTicks) / CLOCK_TICKS_PER_SECOND;
    const inWindow = this.samples.filter((s) => s.at >= from.at && s.at <= to.at);
    return {
      cpuPercent: seconds > 0 ? (cpuSeconds / seconds) * 100 : 0,
      cpuSeconds,
      peakRssBytes: Math.max(from.rssBytes, to.rssBytes, ...inWindow.map((s) => s.rssBytes)),
    };
  }

  /** Highest RSS of all samples so far. */
  get peakRssBytes(): number {
    return this.samples.reduce((max, s) => Math.max(max, s.rssBytes), 0);
  }
}
