// Copies what tsc does not: the node's icons and its codex file (search aliases, categories).
const path = require('node:path');
const { dest, src } = require('gulp');

function buildAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
}

exports['build:assets'] = buildAssets;
exports.default = buildAssets;
