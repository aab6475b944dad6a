// Setup file of every test project: fast-check's properties run from the run's seed, printed once
// at the start of the run (preflight.ts), so a failure replays with `FC_SEED=N npm test`.
import fc from 'fast-check';
import { testSeed } from './seed.ts';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: testSeed() });
