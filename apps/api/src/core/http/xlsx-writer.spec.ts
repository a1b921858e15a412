import { XlsxWriter, xlsxWriterThreads } from './xlsx-writer';

describe('XlsxWriter', () => {
  it("keeps the writer thread's heap small through a long export", async () => {
    let bytes = 0;
    const writer = new XlsxWriter(
      {
        name: 'usage',
        columns: ['id', 'member', 'machine', 'started', 'seconds'].map((header) => ({ header, width: 12 })),
        sheetRows: 1_048_575,
      },
      (chunk) => {
        bytes += chunk.length;
        return Promise.resolve();
      },
    );
    const [thread] = xlsxWriterThreads();
    if (!thread) throw new Error('no writer thread');
    let largestHeap = 0;
    try {
      for (let chunk = 0; chunk < 150; chunk++) {
        const rows = Array.from({ length: 1000 }, (_, i) => {
          const n = chunk * 1000 + i;
          return [
            n,
            `Member ${n % 997}`,
            `Machine ${n % 200}`,
            new Date(1.7e12 + n * 60_000),
            3600 + (n % 100),
          ];
        });
        writer.write(rows);
        await writer.taken();
        if (chunk % 25 === 24) {
          largestHeap = Math.max(largestHeap, (await thread.getHeapStatistics()).total_heap_size);
        }
      }
      await writer.end();
    } finally {
      await writer.terminate();
    }
    // 150,000 rows: with V8's default limits the thread's heap grew past 150 MB; ExcelJS and a chunk
    // in hand need ~15 – 35 MB.
    expect(largestHeap).toBeGreaterThan(0);
    expect(largestHeap).toBeLessThan(64 * 1024 * 1024);
    expect(bytes).toBeGreaterThan(1_000_000);
  }, 60_000);
});
