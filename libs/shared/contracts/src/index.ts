export * from './domain';
export * from './live-events';
