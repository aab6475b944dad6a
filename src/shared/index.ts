// The shared package: everything both the PWA and the server agree on.
export * from './audit.ts';
export * from './catalogue/index.ts';
export * from './citizen/index.ts';
export * from './dates.ts';
export * from './errors.ts';
export * from './group-session.ts';
export * from './ids.ts';
export * from './protocol.ts';
export * from './record.ts';
export * from './report.ts';
export * from './reporting.ts';
export * from './search.ts';
export * from './validation.ts';
