// The import graph of src/: file and folder cycles, imports that climb the layer order, the largest
// files. Run with `npx tsx bench/layers.ts` (add `--edges` to list every upward import).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import layerOrder from '../eslint.layers.json' with { type: 'json' };

export interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

// Higher imports lower; equal ranks are peers. Folders are the first level under src/app and
// src/server (their top-level files, ".", are the composition root); src/shared is one folder below
// all. The order is eslint.layers.json, which the lint rules read too.
export const LAYERS: Record<string, number> = {
  ...Object.fromEntries(
    Object.entries(layerOrder).flatMap(([side, order]) =>
      Object.entries(order).map(([folder, rank]) => [`${side}/${folder}`, rank]),
    ),
  ),
  shared: -1,
};

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.(ts|svelte)$/.test(name) ? [p] : [];
  });
}

/** The folder a src-relative path belongs to, as the keys of LAYERS name it. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'shared') return 'shared';
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : `${parts[0]}/.`;
}

function specifiers(path: string): { spec: string; typeOnly: boolean }[] {
  let text = readFileSync(path, 'utf8');
  if (path.endsWith('.svelte')) {
    text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  }
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { spec: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly = ts.isImportDeclaration(node)
        ? (node.importClause?.isTypeOnly ?? false) ||
          (node.importClause !== undefined &&
            node.importClause.name === undefined &&
            node.importClause.namedBindings !== undefined &&
            ts.isNamedImports(node.importClause.namedBindings) &&
            node.importClause.namedBindings.elements.length > 0 &&
            node.importClause.namedBindings.elements.every((e) => e.isTypeOnly))
        : node.isTypeOnly;
      found.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ spec: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) found.push({ spec: lit.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveSpec(fromAbs: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(fromAbs), spec);
  const tries = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return tries.find((p) => existsSync(p) && statSync(p).isFile());
}

/** Every relative import between files under srcDir, as src-relative paths. */
export function importGraph(srcDir = join(ROOT, 'src')): { files: string[]; edges: Edge[] } {
  const abs = walk(srcDir);
  const files = abs.map((p) => relative(srcDir, p));
  const edges: Edge[] = [];
  for (const p of abs) {
    for (const { spec, typeOnly } of specifiers(p)) {
      const target = resolveSpec(p, spec);
      if (!target || !/\.(ts|svelte)$/.test(target)) continue;
      edges.push({ from: relative(srcDir, p), to: relative(srcDir, target), typeOnly });
    }
  }
  return { files, edges };
}

/** Strongly connected groups of more than one node (Tarjan), each sorted. */
export function cycles(nodes: string[], links: [string, string][]): string[][] {
  const next = new Map<string, Set<string>>(nodes.map((n) => [n, new Set()]));
  for (const [a, b] of links) if (a !== b) next.get(a)?.add(b);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) strong(n);
  return groups.sort((a, b) => a.join().localeCompare(b.join()));
}

/** Imports from a folder to one ranked higher on the same side. */
export function upwardImports(edges: Edge[]): Edge[] {
  return edges.filter((e) => {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b || b === 'shared') return false;
    return (LAYERS[b] ?? Infinity) > (LAYERS[a] ?? -Infinity);
  });
}

export interface LayerReport {
  fileCycles: string[][];
  folderCycles: string[][];
  upward: Edge[];
  largest: { file: string; lines: number }[];
  unranked: string[];
}

export function measure(srcDir = join(ROOT, 'src')): LayerReport {
  const { files, edges } = importGraph(srcDir);
  const folders = [...new Set(files.map(folderOf))];
  const folderLinks = edges.map((e): [string, string] => [folderOf(e.from), folderOf(e.to)]);
  const largest = files
    .map((file) => ({ file, lines: readFileSync(join(srcDir, file), 'utf8').split('\n').length }))
    .sort((a, b) => b.lines - a.lines)
    .slice(0, 10);
  return {
    fileCycles: cycles(
      files,
      edges.map((e) => [e.from, e.to]),
    ),
    folderCycles: cycles(folders, folderLinks),
    upward: upwardImports(edges),
    largest,
    unranked: folders.filter((f) => !(f in LAYERS)),
  };
}

function print(report: LayerReport, listEdges: boolean): void {
  console.log(`file cycles: ${report.fileCycles.length}`);
  for (const group of report.fileCycles) console.log(`  ${group.join(' ⇄ ')}`);
  console.log(`folder cycles: ${report.folderCycles.length}`);
  for (const group of report.folderCycles) console.log(`  ${group.join(' ⇄ ')}`);
  const pairs = new Map<string, Edge[]>();
  for (const e of report.upward) {
    const key = `${folderOf(e.from)} → ${folderOf(e.to)}`;
    pairs.set(key, [...(pairs.get(key) ?? []), e]);
  }
  console.log(`upward imports: ${report.upward.length} in ${pairs.size} folder pairs`);
  for (const [key, list] of [...pairs].sort()) {
    console.log(`  ${key}: ${list.length}`);
    if (listEdges) for (const e of list) console.log(`    ${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`);
  }
  if (report.unranked.length > 0) console.log(`folders with no layer: ${report.unranked.join(', ')}`);
  console.log('largest files (lines):');
  for (const { file, lines } of report.largest) console.log(`  ${lines} src/${file}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  print(measure(), process.argv.includes('--edges'));
}
