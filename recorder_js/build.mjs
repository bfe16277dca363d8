// Builds dist/sessiontape.js (IIFE, script tag, window.sessiontape), dist/sessiontape.mjs (ESM)
// and dist/types/*.d.ts, then prints the script bundle's raw and gzip -9 sizes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  target: 'es2019',
  legalComments: 'none',
  logLevel: 'warning',
};
await Promise.all([
  build({ ...common, entryPoints: ['src/global.ts'], format: 'iife', outfile: 'dist/sessiontape.js' }),
  build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/sessiontape.mjs' }),
]);

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

for (const file of ['dist/sessiontape.js', 'dist/sessiontape.mjs']) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  console.log(`${file}: ${raw.length} B raw, ${gz} B gzip -9`);
}
