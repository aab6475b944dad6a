// Fails each browser test file with the one-line reason when global-setup.ts found no Chromium (and
// built nothing), so the other projects of the run still run and report.
import { inject } from 'vitest';

const missing = inject('chromiumMissing');
if (missing) throw new Error(missing);
