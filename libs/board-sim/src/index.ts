export * from './mqtt-connect';
export * from './simulated-board';
export * from './echo-responder';
export * from './stats';
export * from './load';
export * from './history';
