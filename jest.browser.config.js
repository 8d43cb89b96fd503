// The editor check in a real browser: n8n 2.40.7 (`n8n start`) with the packed package,
// Debian's Chromium driven by playwright-core. Run with `bash scripts/browser.sh`, which
// installs what it needs first (Chromium, playwright-core into the cache, n8n).
// Its test files end in .spec.ts, so the unit suite (jest.config.js, *.test.ts) never runs them.
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test/browser'],
	testMatch: ['**/*.spec.ts'],
	transform: { '^.+\\.ts$': '<rootDir>/test/jest-transform.js' },
	moduleFileExtensions: ['ts', 'js', 'json'],
	maxWorkers: 1,
	testTimeout: 2 * 60_000,
	slowTestThreshold: 60,
	verbose: true,
};
