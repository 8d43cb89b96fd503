// Runs n8n's community-package scan (@n8n/scan-community-package) on local folders,
// exactly as its analyzePackageByName() does after the provenance and download steps:
//   analyzePackage(<source checkout>, SOURCE_FILE_PATTERNS)
//   analyzePackage(<unpacked tarball>, ['**/*.js', 'package.json'])
// The package's CLI is not used: it downloads the published package from the registry and
// requires npm provenance, neither of which applies to an unpublished local build.
//
// usage: node scripts/scan-package.mjs --scanner <dir holding node_modules/@n8n/scan-community-package>
//          [--source <dir>] [--tarball <unpacked package dir>]
// exit:  0 no findings, 1 findings, 2 the scan could not run (or found nothing to scan)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
	options: {
		scanner: { type: 'string' },
		source: { type: 'string' },
		tarball: { type: 'string' },
	},
});

function fail(message) {
	console.error(`[scan] ERROR: ${message}`);
	process.exit(2);
}

if (!args.scanner) fail('--scanner <dir> is required');
if (!args.source && !args.tarball) fail('nothing to scan: pass --source and/or --tarball');

const scannerPkgDir = path.resolve(args.scanner, 'node_modules/@n8n/scan-community-package');
const scannerEntry = path.join(scannerPkgDir, 'scanner/scanner.mjs');
if (!fs.existsSync(scannerEntry)) fail(`scanner not found at ${scannerEntry}`);

const scannerVersion = JSON.parse(fs.readFileSync(path.join(scannerPkgDir, 'package.json'), 'utf8')).version;
const scanner = await import(pathToFileURL(scannerEntry).href);
const { analyzePackage, SOURCE_FILE_PATTERNS } = scanner;
if (typeof analyzePackage !== 'function') fail('scanner.mjs does not export analyzePackage()');
if (!Array.isArray(SOURCE_FILE_PATTERNS)) fail('scanner.mjs does not export SOURCE_FILE_PATTERNS');

// The same glob (and options) analyzePackage uses, from the scanner's own fast-glob, so the
// file count printed here is the set it lints.
const glob = createRequire(scannerEntry)('fast-glob');
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

const strip = (s) => s.replace(/\u001b\[[0-9;]*m/g, '');

async function scan(label, dir, patterns) {
	dir = path.resolve(dir);
	if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
		console.error(`[scan] ${label}: ${dir} is not a directory`);
		return 2;
	}
	const files = glob.sync(patterns, {
		cwd: dir,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	console.log(`[scan] ${label}: ${dir}`);
	console.log(`[scan]   patterns ${JSON.stringify(patterns)} -> ${files.length} file(s)`);
	for (const f of files.sort()) console.log(`[scan]     ${f}`);
	if (files.length === 0) {
		// analyzePackage() reports this as passed; for us it means the scan saw nothing.
		console.error(`[scan] ${label}: no files matched, the scan did not run`);
		return 2;
	}

	const result = await analyzePackage(dir, patterns);

	if (result.passed && !result.message) {
		console.log(`[scan] ${label}: 0 findings`);
		return 0;
	}
	if (result.passed || !result.details) {
		// "No files found to analyze", "Analysis failed: …" (ESLint threw), or anything unexpected.
		console.error(`[scan] ${label}: scan could not run: ${result.message ?? 'unknown result'}`);
		return 2;
	}
	// Paths relative to the scanned folder (the tarball's is a temp dir that is gone afterwards).
	const details = strip(result.details).replaceAll(dir + path.sep, '');
	const summary = details.match(/(\d+) problems? \((\d+) errors?, (\d+) warnings?\)/);
	const errors = summary ? Number(summary[2]) : NaN;
	console.log(
		`[scan] ${label}: ${Number.isNaN(errors) ? 'findings' : `${errors} finding(s)`} (${result.message})`,
	);
	console.log(details.trimEnd().replace(/^/gm, '    '));
	return 1;
}

console.log(`[scan] @n8n/scan-community-package@${scannerVersion} (analyzePackage)`);
const codes = [];
if (args.source) codes.push(await scan('source', args.source, SOURCE_FILE_PATTERNS));
if (args.tarball) codes.push(await scan('tarball', args.tarball, TARBALL_PATTERNS));

const code = Math.max(...codes);
console.log(
	`[scan] result: ${code === 0 ? 'PASS (0 findings)' : code === 1 ? 'FAIL (findings)' : 'ERROR (scan could not run)'}`,
);
process.exit(code);
