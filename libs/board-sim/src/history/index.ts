export * from './generate';
export * from './sinks';
export * from './prepare';
export * from './portal';
export * from './traffic';
