// The shape of src/, checked by `npm test` (npm run lint:deps). Lower layers never import higher
// ones, and a feature folder (src/routes/<feature>/) never imports another: what several
// features share lives in src/lib/ or below.
const layer = (folder, above) => ({
  name: `${folder}-below-${above.replaceAll('|', '-')}`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: `^src/(${above})/` },
})

// Modules of src/lib/ that import nothing of ours, and that auth/ uses too.
const LIB_LEAVES = '^src/lib/(fair-queue|thread-budget)\\.ts$'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes every module in it depend on all the others.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'features-stand-alone',
      severity: 'error',
      comment: 'A feature imports src/lib/ and below, never another feature.',
      from: { path: '^src/routes/([^/]+)/' },
      to: { path: '^src/routes/([^/]+)/', pathNot: '^src/routes/$1/' },
    },
    {
      name: 'shared-code-below-features',
      severity: 'error',
      comment: 'Shared code is imported by the features, never the other way round.',
      from: { path: '^src/(lib|auth|db|http|mail|rules|config|pages|metrics)/' },
      to: { path: '^src/(routes|server)/|^src/(app|server)\\.ts$' },
    },
    // Each shared layer imports only the layers below it.
    layer('lib', 'pages'),
    // auth/ may take turns in lib/'s fair queue, within lib/'s thread budget: two leaves.
    { ...layer('auth', 'lib|pages'), to: { path: '^src/(lib|pages)/', pathNot: LIB_LEAVES } },
    layer('db', 'auth|lib|pages|mail'),
    layer('http', 'auth|db|lib|pages|mail'),
    {
      name: 'lib-leaves-are-leaves',
      severity: 'error',
      comment: 'What auth/ may import from lib/ imports nothing of ours but the metrics, so auth/ reaches nothing above it through them.',
      from: { path: LIB_LEAVES },
      to: { path: '^src/', pathNot: '^src/metrics/' },
    },
    {
      name: 'metrics-are-leaves',
      severity: 'error',
      comment: 'Every layer counts into the metrics, so they import nothing of ours.',
      from: { path: '^src/metrics/' },
      to: { path: '^src/', pathNot: '^src/metrics/' },
    },
    {
      name: 'rules-are-leaves',
      severity: 'error',
      comment: 'The rules on fields and names are plain functions and constants, also bundled into web/.',
      from: { path: '^src/rules/' },
      to: { path: '^src/', pathNot: '^src/rules/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
}
