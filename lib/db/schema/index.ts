export * from './org';
export * from './auth';
export * from './surveys';
export * from './rounds';
export * from './responses';
export * from './assessment';
export * from './counts';
export * from './backups';
