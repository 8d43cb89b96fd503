/**
 * Every current endpoint of DocFlow's OpenAPI spec is reachable from the node: the spec is read
 * from ../shared/docflow-api/rest-api/, every path not tagged Deprecated must be sent somewhere in
 * the node's code (a typed call in transport/endpoints/, or the credential's test request), no
 * deprecated one is, and the node's Endpoint type lists exactly the current ones. When the spec
 * gains a path, this test names it. (A static check: each operation's calls are proven on the
 * wire by its own tests.)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..');
const SPEC = join(REPO, '..', 'shared', 'docflow-api', 'rest-api', 'openapi.bundle.yaml');
const PREFIX = '/api/app-api/sip/platform/v2/';

/** Path → whether it is tagged Deprecated, read from the spec's `paths:` blocks. */
function specPaths(): Map<string, boolean> {
	const lines = readFileSync(SPEC, 'utf8').split('\n');
	const paths = new Map<string, boolean>();
	let current: string | undefined;
	for (const line of lines) {
		const path = /^ {2}(\/\S+):\s*$/.exec(line);
		if (path) {
			current = path[1];
			paths.set(current, false);
			continue;
		}
		if (/^\S/.test(line)) current = undefined; // `components:` and other top-level keys
		if (current && /^\s+- Deprecated\s*$/.test(line)) paths.set(current, true);
	}
	return paths;
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
	});
}

/** The node's and the credential's code, without comments and without the Endpoint type itself. */
const runtime = [...sourceFiles(join(REPO, 'nodes')), ...sourceFiles(join(REPO, 'credentials'))].map((file) => ({
	file,
	text: readFileSync(file, 'utf8')
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/^\s*\/\/.*$/gm, '')
		.replace(/export type Endpoint =[\s\S]*?;/, ''),
}));

/** Where a path is sent from: a quoted endpoint ('file/fetch') or a full URL path (…/v2/auth/token). */
function callersOf(path: string): string[] {
	const quoted = new RegExp(`['"\`](${PREFIX.replace(/\//g, '\\/')})?${path.replace(/\//g, '\\/')}['"\`]`);
	return runtime.filter(({ text }) => quoted.test(text)).map(({ file }) => file.slice(REPO.length + 1));
}

describe('the DocFlow API in the node', () => {
	const paths = specPaths();
	const current = [...paths].filter(([, deprecated]) => !deprecated).map(([path]) => path.slice(PREFIX.length));

	test('the spec is read: it has paths, some of them deprecated', () => {
		expect(current.length).toBeGreaterThan(40);
		expect([...paths.values()].filter(Boolean).length).toBeGreaterThan(0);
	});

	test('every current path of the spec is sent by the node (an operation, a picker, the trigger or the credential test)', () => {
		expect(current.filter((path) => callersOf(path).length === 0)).toEqual([]);
	});

	test('the Endpoint type lists exactly the current paths', () => {
		const types = readFileSync(join(REPO, 'nodes', 'DocFlow', 'transport', 'types', 'common.ts'), 'utf8');
		const union = /export type Endpoint =([\s\S]*?);/.exec(types)?.[1] ?? '';
		const listed = [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]);
		expect([...listed].sort()).toEqual([...current].sort());
	});

	test('no deprecated path is sent', () => {
		const deprecated = [...paths].filter(([, d]) => d).map(([path]) => path.slice(PREFIX.length));
		expect(deprecated.filter((path) => callersOf(path).length > 0)).toEqual([]);
	});
});
