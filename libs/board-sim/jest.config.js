module.exports = {
  displayName: 'board-sim',
  preset: '../../jest.preset.js',
  rootDir: '.',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
};
