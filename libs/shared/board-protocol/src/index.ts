export * from './messages';
export * from './uid';
export * from './topics';
export * from './parser';
export * from './lcd-text';
export * from './replies';
export * from './commands';
export * from './fixtures';
