// Citizens' data on the wire: ID-number checks, the consent step and the sealed contact (docs/privacy.md).
export * from './consent.ts';
export * from './contact.ts';
export * from './free-text.ts';
export * from './id-number.ts';
export * from './seal.ts';
export * from './subject-request.ts';
