// The queue-mode suite (n8n 2.40.7 main + 2 workers, Redis, Postgres): `bash scripts/e2e-queue.sh`,
// which installs Redis and Postgres when absent and cleans up after the run. Its file is
// queue.spec.ts, not *.test.ts, so the unit run (jest.config.js) leaves it out.
const { resolve } = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	rootDir: resolve(__dirname, '..', '..'),
	roots: ['<rootDir>/test/e2e-queue'],
	testMatch: ['**/*.spec.ts'],
	transform: { '^.+\\.ts$': '<rootDir>/test/jest-transform.js' },
	moduleFileExtensions: ['ts', 'js', 'json'],
	maxWorkers: 1,
	testTimeout: 5 * 60_000,
	slowTestThreshold: 120,
	verbose: true,
};
