/** Restarts the whole app in-process (broker, database, HTTP): how a staged restore is applied. */
export abstract class AppRestarter {
  /** False where nothing can restart the app (tests): the operator restarts the service. */
  abstract readonly available: boolean;
  abstract restart(): void;
}

export const NO_RESTARTER: AppRestarter = { available: false, restart: () => undefined };
