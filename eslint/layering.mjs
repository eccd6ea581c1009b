/**
 * The layering README's Layout table promises, enforced on value imports (type-only imports may
 * cross layers: they vanish at build time). Each entry: the files of one layer and the top-level
 * folders they must not import. See docs/architecture.md.
 */
export const layers = [
  { name: 'domain', files: ['domain/**/*.ts'], forbidden: ['lib', 'models', 'chain', 'commands', 'routes', 'workers', 'server', 'devinfra'] },
  { name: 'lib', files: ['lib/**/*.ts'], forbidden: ['domain', 'models', 'chain', 'commands', 'routes', 'workers', 'server', 'devinfra'] },
  { name: 'models', files: ['models/**/*.ts'], forbidden: ['chain', 'commands', 'routes', 'workers', 'server', 'devinfra'] },
  { name: 'chain', files: ['chain/**/*.ts'], forbidden: ['models', 'commands', 'routes', 'workers', 'server', 'devinfra'] },
  { name: 'commands', files: ['commands/**/*.ts'], forbidden: ['routes', 'workers', 'server', 'devinfra'] },
  { name: 'routes', files: ['routes/**/*.ts'], forbidden: ['models', 'workers', 'server', 'devinfra'] },
  {
    name: 'workers',
    files: ['workers/**/*.ts'],
    ignores: ['workers/main.ts', 'workers/admin.ts', 'workers/reconcile.ts', 'workers/seed.ts'],
    forbidden: ['models', 'routes', 'server', 'devinfra'],
  },
  { name: 'worker entry points', files: ['workers/main.ts', 'workers/admin.ts', 'workers/reconcile.ts', 'workers/seed.ts'], forbidden: ['models', 'routes', 'devinfra'] },
  // The site's templates render what the routes hand them: no data access, no wiring.
  { name: 'views', files: ['views/**/*.ts', 'views/**/*.tsx'], forbidden: ['lib', 'models', 'chain', 'commands', 'routes', 'workers', 'server', 'devinfra'] },
  { name: 'devinfra', files: ['devinfra/**/*.ts'], forbidden: ['models', 'commands', 'routes', 'workers', 'server'] },
];

export function layeringConfigs() {
  return layers.map(({ name, files, ignores, forbidden }) => ({
    name: `layering/${name}`,
    files,
    ignores: ignores ?? [],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
              allowTypeImports: true,
              message: `${name} must not import this layer (README, Layout; docs/architecture.md).`,
            },
          ],
        },
      ],
    },
  }));
}
