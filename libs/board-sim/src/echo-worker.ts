import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EchoResponder, type EchoResponderOptions } from './echo-responder';

/** An echo responder that can be stopped; `answered` is read at stop. */
export interface RunningEcho {
  /** Where it runs: its own thread (own event loop, like a separate process) or this one. */
  readonly where: 'worker' | 'in-process';
  stop(): Promise<number>;
}

type WorkerMessage = { readonly type: 'ready' } | { readonly type: 'error'; readonly message: string };

// Runs in the worker: loads the compiled echo-responder.js (no workspace alias involved).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { EchoResponder } = require(workerData.module);
const echo = new EchoResponder(workerData.options);
echo.start().then(
  () => parentPort.postMessage({ type: 'ready' }),
  (error) => parentPort.postMessage({ type: 'error', message: String(error && error.message || error) }),
);
parentPort.on('message', () => {
  echo.close().then(() => { parentPort.postMessage({ type: 'stopped', answered: echo.answered }); parentPort.close(); });
});
`;

/**
 * Starts the echo baseline in a worker thread when the compiled module is at hand (so it does not
 * share the load generator's event loop), else in this thread (e.g. under ts-jest).
 */
export async function startEcho(options: EchoResponderOptions): Promise<RunningEcho> {
  const module = join(__dirname, 'echo-responder.js');
  if (!existsSync(module)) {
    const echo = new EchoResponder(options);
    await echo.start();
    return {
      where: 'in-process',
      stop: async () => {
        await echo.close();
        return echo.answered;
      },
    };
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, options } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve();
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    where: 'worker',
    stop: () =>
      new Promise<number>((resolve) => {
        worker.once('message', (message: { answered: number }) => {
          void worker.terminate().then(() => resolve(message.answered));
        });
        worker.postMessage('stop');
      }),
  };
}
