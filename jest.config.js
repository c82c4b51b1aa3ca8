/**
 * Unit tests need nothing running; integration tests get the whole local stack from globalSetup;
 * infra tests read the compiled Bicep, which their globalSetup builds (npm run infra:build) when stale.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // No forceExit: every test file closes what it opened (the integration stack is stopped in
  // globalTeardown, a test's own stacks in its afterAll), so a handle left open shows as a hang
  // instead of hiding (`npx jest --detectOpenHandles` names it).
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
