module.exports = {
  displayName: 'board-protocol',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
};
