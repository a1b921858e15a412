import angular from 'angular-eslint';
import tseslint from 'typescript-eslint';
import root from '../../eslint.config.mjs';

export default tseslint.config(
  ...root,
  {
    files: ['**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
  },
  {
    files: ['**/*.html'],
    // Inline templates become virtual .html files: the type-aware TypeScript rules have nothing to check there.
    extends: [
      tseslint.configs.disableTypeChecked,
      ...angular.configs.templateRecommended,
      ...angular.configs.templateAccessibility,
    ],
  },
);
