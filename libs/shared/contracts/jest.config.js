module.exports = {
  displayName: 'contracts',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
};
