// Lint: TypeScript rules for the host code; in-sandbox code is checked by its own tsconfig.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.build/**', '.flint/**', '.scratch/**', 'bench/results/**', 'src/sandbox-runtime/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through src/config only' }],
    },
  },
  {
    files: ['src/config/**', 'src/cli/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
