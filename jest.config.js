/** Tests run the TypeScript sources through ts-jest; CLI tests spawn bin/run.js, which runs dist/ (built by `npm ci`'s prepare step and by test/globalSetup). */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/globalSetup.js',
  testTimeout: 60000,
};
