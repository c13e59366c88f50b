/** Jest runs the TypeScript sources directly; no build step before tests. */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
};

/** Tests that start the service, a conversation, a browser or a second process. */
const INTEGRATION_DIRS = ['bot', 'dialogs', 'browser', 'eval', 'staff'];

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      // Everything else: the core, the locales, the scripts; no bot, no adapter.
      displayName: 'unit',
      // Excluded in testMatch: a --testPathIgnorePatterns on the command line would replace a project's own.
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/**/*.test.ts', `!${__dirname}/test/{${INTEGRATION_DIRS.join(',')}}/**`],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: INTEGRATION_DIRS.map((dir) => `<rootDir>/test/${dir}`),
      testMatch: ['**/*.test.ts'],
    },
  ],
};
