export * from './domain';
export * from './live-events';
export * from './errors';
export * from './auth';
export * from './paging';
export * from './people';
export * from './machines';
export * from './activity';
