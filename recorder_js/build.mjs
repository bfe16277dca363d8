// Builds dist/sessiontape.js (IIFE, script tag, window.sessiontape), dist/sessiontape.mjs (ESM)
// and dist/types/*.d.ts, copies rrweb-player (script + style) to dist/player/ for the offline
// replays the pytest plugin writes, then prints the script bundle's raw and gzip -9 sizes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

const require = createRequire(import.meta.url);
// Each file is replaced atomically, so a server reading dist/ never sees it missing or half written.
mkdirSync('dist', { recursive: true });
rmSync('dist/types', { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
};
const bundles = [
  { entryPoints: ['src/global.ts'], format: 'iife', outfile: 'dist/sessiontape.js' },
  { entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/sessiontape.mjs' },
  // Canvas capture, opt-in: a bundle of its own, so that recording without it costs nothing.
  { entryPoints: ['src/canvas-global.ts'], format: 'iife', outfile: 'dist/canvas.js' },
  { entryPoints: ['src/canvas.ts'], format: 'esm', outfile: 'dist/canvas.mjs' },
];
// The recorder ships in every recorded page: after esbuild, terser's deeper passes take off
// another few percent (about 600 B gzip), which esbuild's single-pass minifier leaves.
const squeeze = async (code, module) =>
  (
    await minify(code, {
      module,
      ecma: 2020,
      compress: { passes: 3 },
      mangle: { toplevel: true },
      format: { comments: false },
    })
  ).code;
await Promise.all(
  bundles.map(async (b) => {
    const { outputFiles } = await build({ ...common, ...b, write: false });
    writeFileSync(b.outfile + '.tmp', await squeeze(outputFiles[0].text, b.format === 'esm'));
    renameSync(b.outfile + '.tmp', b.outfile);
  }),
);

// rrweb-player is a build-time dependency only: its UMD bundle (global rrwebPlayer) and its
// stylesheet are inlined into each sessiontape.html, which must open offline.
const player = 'node_modules/rrweb-player/dist/';
mkdirSync('dist/player', { recursive: true });
for (const [from, to] of [
  ['rrweb-player.umd.min.cjs', 'rrweb-player.js'],
  ['style.min.css', 'rrweb-player.css'],
]) {
  const text = readFileSync(player + from, 'utf8').replace(/\n?\/[/*]# sourceMappingURL=\S+( \*\/)?\s*$/, '\n');
  writeFileSync(`dist/player/${to}.tmp`, text);
  renameSync(`dist/player/${to}.tmp`, `dist/player/${to}`);
}

// Swagger UI for the collector's /docs, served from the collector itself (never from a CDN).
const apidocs = 'node_modules/swagger-ui-dist/';
mkdirSync('dist/apidocs', { recursive: true });
for (const name of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
  const text = readFileSync(apidocs + name, 'utf8').replace(/\n?\/[/*]# sourceMappingURL=\S+( \*\/)?\s*$/, '\n');
  writeFileSync(`dist/apidocs/${name}.tmp`, text);
  renameSync(`dist/apidocs/${name}.tmp`, `dist/apidocs/${name}`);
}

// The session page's player (viewer/, rrweb-player bundled in): its own entry, written to
// dist/viewer/ (viewer.js + viewer.css), never part of the recorder bundle recorded sites load.
mkdirSync('dist/viewer', { recursive: true });
for (const [entry, outfile] of [
  ['viewer/src/main.ts', 'dist/viewer/viewer.js'],
  ['viewer/src/heatmap/main.ts', 'dist/viewer/heatmap.js'],
]) {
  const { outputFiles } = await build({
    ...common,
    entryPoints: [entry],
    format: 'iife',
    outfile,
    write: false,
  });
  for (const file of outputFiles) {
    writeFileSync(file.path + '.tmp', file.contents);
    renameSync(file.path + '.tmp', file.path);
  }
}
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'viewer/tsconfig.json'], {
  stdio: 'inherit',
});

execFileSync(
  process.execPath,
  [
    require.resolve('typescript/bin/tsc'),
    '-p', 'tsconfig.json',
    '--noEmit', 'false',
    '--declaration',
    '--emitDeclarationOnly',
    '--outDir', 'dist/types',
  ],
  { stdio: 'inherit' },
);

for (const file of ['dist/sessiontape.js', 'dist/sessiontape.mjs', 'dist/canvas.js']) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  console.log(`${file}: ${raw.length} B raw, ${gz} B gzip -9`);
}
