// Hand-off to the team lead without internet: the formats both sides share (docs/handoff.md).
export * from './bytes.ts';
export * from './bundle.ts';
export * from './frames.ts';
export * from './keys.ts';
export * from './receipt.ts';
export * from './wire.ts';
