/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': '<rootDir>/test/jest-transform.js' },
	moduleFileExtensions: ['ts', 'js', 'json'],
	testTimeout: 60000,
	setupFiles: ['<rootDir>/test/jest.setup.ts'],
};
