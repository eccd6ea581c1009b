import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layering README's Layout table promises is kept by lint (eslint/layering.mjs): each probe is a
 * file that does not exist, linted as if it stood at `file`, with the project's own ESLint config.
 */
interface Probe {
  file: string;
  code: string;
}

const ROOT = path.resolve(__dirname, '..', '..');

interface Layer {
  name: string;
  files: string[];
  forbidden: string[];
}

/** The layers as eslint/layering.mjs declares them (read in a child process: it is an ES module). */
function declaredLayers(): Layer[] {
  const script = "import('./eslint/layering.mjs').then(({ layers }) => process.stdout.write(JSON.stringify(layers)))";
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as Layer[];
}

/** The layering errors ESLint reports for each probe (one child process for them all: ESLint's config is an ES module). */
function layeringErrors(probes: Probe[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const probes = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const probe of probes) {
        const [result] = await eslint.lintText(probe.code, { filePath: probe.file });
        out.push(result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(probes)], { cwd: ROOT, encoding: 'utf8' })) as string[][];
}

/** A value import of `target` (a top-level folder) from a file two folders deep in `layerFolder`. */
function valueImport(layerFolder: string, target: string, extension = 'ts'): Probe {
  return { file: `${layerFolder}/probe/layeringProbe.${extension}`, code: `import { anything } from '../../${target}/something';\nexport const used = anything;\n` };
}

describe('lint keeps the layering (eslint/layering.mjs)', () => {
  const layers = declaredLayers();
  const folderOf = (files: string[]) => files[0]!.split('/')[0]!;
  const forbiddenProbes = layers.flatMap((layer) =>
    layer.name === 'worker entry points' ? [] : layer.forbidden.map((target) => ({ layer: layer.name, target, probe: valueImport(folderOf(layer.files), target) })),
  );
  const allowed: { what: string; probe: Probe }[] = [
    { what: 'routes importing commands', probe: valueImport('routes', 'commands') },
    { what: 'commands importing models', probe: valueImport('commands', 'models') },
    { what: 'workers importing commands', probe: valueImport('workers', 'commands') },
    { what: 'domain importing domain', probe: valueImport('domain', 'domain') },
    { what: 'a type-only import of models from routes', probe: { file: 'routes/probe/layeringProbe.ts', code: "import type { Anything } from '../../models/something';\nexport type Used = Anything;\n" } },
  ];
  const viewsProbe = valueImport('views', 'commands', 'tsx');
  let results: string[][];
  beforeAll(() => {
    results = layeringErrors([...forbiddenProbes.map((p) => p.probe), ...allowed.map((a) => a.probe), viewsProbe]);
  }, 120_000);

  it('has probes for every layer', () => {
    expect(new Set(forbiddenProbes.map((p) => p.layer))).toEqual(new Set(layers.map((l) => l.name).filter((name) => name !== 'worker entry points')));
  });

  it('fails a new value import against the layering, naming the layer and the document that explains it', () => {
    const missed = forbiddenProbes.filter((_, i) => results[i]!.length === 0).map((p) => `${p.layer} → ${p.target}`);
    expect(missed).toEqual([]);
    expect(results[0]![0]).toMatch(/must not import this layer \(README, Layout; docs\/architecture\.md\)/);
  });

  it('lets the imports the layering allows through', () => {
    const flagged = allowed.filter((_, i) => results[forbiddenProbes.length + i]!.length > 0).map((a) => a.what);
    expect(flagged).toEqual([]);
  });

  it('checks the views (.tsx) too', () => {
    expect(results[results.length - 1]!.length).toBeGreaterThan(0);
  });
});
