export * from './errors';
export * from './dates';
export * from './wish';
export * from './privacy';
export * from './validation';
export * from './trust';
export * from './notices';
export * from './effects';
