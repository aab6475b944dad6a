// Layers that hold (docs/architecture.md, "Layers"): the import graph of src/ has no cycle between
// files or folders and no upward import, type-only imports included, and the lint rules fail on a
// new upward import or a new runtime cycle.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { measure } from '../../bench/layers.ts';

describe('layers of src/', () => {
  it('has no file or folder cycle, no upward import and no folder without a layer', () => {
    const report = measure();
    expect(report.fileCycles).toEqual([]);
    expect(report.folderCycles).toEqual([]);
    expect(report.upward).toEqual([]);
    expect(report.unranked).toEqual([]);
  }, 30_000);

  const scratch = mkdtempSync(join(tmpdir(), 'layers-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(scratch, 'src-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('counts an upward import, a type-only cycle and a new folder in a tree that has them', () => {
    const report = measure(
      tree({
        'app/db/rows.ts': "import type { Screen } from '../state/screen.ts';\nexport type Row = Screen;\n",
        'app/state/screen.ts':
          "import type { Row } from '../db/rows.ts';\nexport type Screen = { row?: Row };\n",
        'app/misc/loose.ts': "import { x } from '../../shared/x.ts';\nexport const y = x;\n",
        'shared/x.ts': 'export const x = 1;\n',
      }),
    );
    expect(report.fileCycles).toEqual([['app/db/rows.ts', 'app/state/screen.ts']]);
    expect(report.folderCycles).toEqual([['app/db', 'app/state']]);
    expect(report.upward).toEqual([{ from: 'app/db/rows.ts', to: 'app/state/screen.ts', typeOnly: true }]);
    expect(report.unranked).toEqual(['app/misc']);
  });
});

describe('lint rules of the layers', () => {
  const eslint = new ESLint();

  async function ruleIds(filePath: string, text: string): Promise<string[]> {
    const [result] = await eslint.lintText(text, { filePath });
    return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
  }

  it('fails an import from db/ up into state/', async () => {
    const ids = await ruleIds(
      'src/app/db/probe.ts',
      "import { useTallies } from '../state/tallies.ts';\nexport const probe = useTallies;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  }, 60_000);

  it('fails an import from store/ up into reporting/', async () => {
    const ids = await ruleIds(
      'src/server/store/probe.ts',
      "import { daysIn } from '../reporting/summary.ts';\nexport const probe = daysIn;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  }, 60_000);

  it('fails a runtime cycle between two files', async () => {
    // counters-check.ts imports counters.ts; counters.ts importing it back closes a cycle.
    const ids = await ruleIds(
      'src/app/db/counters.ts',
      "import { checkCounters } from './counters-check.ts';\nexport const probe = checkCounters;\n",
    );
    expect(ids).toContain('import-x/no-cycle');
  }, 60_000);

  it('lets a layer import the one below it', async () => {
    const ids = await ruleIds(
      'src/app/state/probe.ts',
      "import { getMeta } from '../db/meta-repo.ts';\nexport const probe = getMeta;\n",
    );
    expect(ids).toEqual([]);
  }, 60_000);
});
