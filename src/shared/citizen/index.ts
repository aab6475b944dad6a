// Citizens' data on the wire: ID-number checks and the consent step (docs/privacy.md).
export * from './consent.ts';
export * from './id-number.ts';
