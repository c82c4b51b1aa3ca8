/**
 * Unit tests need nothing running; integration tests get the whole local stack from globalSetup;
 * infra tests read the compiled Bicep, which their globalSetup builds (npm run infra:build) when stale.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // The integration stack is a child process stopped in globalTeardown; an SDK keep-alive socket
  // left in a worker must not keep CI waiting after every test has finished and reported.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
    {
      displayName: 'infra',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/infra/**/*.test.ts'],
      globalSetup: '<rootDir>/test/infra/global-setup.ts',
    },
  ],
};
