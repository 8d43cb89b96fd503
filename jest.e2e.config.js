// End-to-end suite: the packed package inside real n8n (2.40.7 and 1.123.81), driven by
// n8n's own CLI against the DocFlow emulator. Run with:
//   node node_modules/.bin/jest -c jest.e2e.config.js
// (after `source scripts/node24.sh`; or `bash scripts/e2e.sh`, which does the setup too).
// DOCFLOW_E2E_N8N_VERSIONS=2.40.7 limits it to one n8n version; DOCFLOW_E2E_KEEP=1 keeps the
// scratch n8n folders, runs and the emulator's request log for a look afterwards.
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': '<rootDir>/test/jest-transform.js' },
	moduleFileExtensions: ['ts', 'js', 'json'],
	// n8n installs (first run: minutes) and the build happen once, before any test file
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// one n8n at a time: the machine has 2 cores, and every file runs several n8n processes
	maxWorkers: 1,
	testTimeout: 5 * 60_000,
	slowTestThreshold: 60,
	verbose: true,
};
