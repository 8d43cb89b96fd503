/**
 * What n8n and its community-package verification look at: the published files, the
 * `n8n` section, the codex file beside the node, the icons, and no runtime dependency.
 * Runs on the built `dist/` (scripts/test.sh builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

describe('package', () => {
	test('is a community node package with no runtime dependency', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n).toEqual({
			n8nNodesApiVersion: 1,
			strict: true,
			credentials: ['dist/credentials/DocFlowApi.credentials.js'],
			nodes: ['dist/nodes/DocFlow/DocFlow.node.js', 'dist/nodes/DocFlow/DocFlowTrigger.node.js'],
		});
		for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
			expect(existsSync(join(root, file))).toBe(true);
		}
	});

	test('npm pack holds only dist/, README.md and package.json', () => {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: root,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			}),
		);
		const paths: string[] = packed.files.map((f: { path: string }) => f.path);
		expect(paths.filter((p) => !p.startsWith('dist/'))).toEqual(
			expect.arrayContaining(['README.md', 'package.json']),
		);
		expect(paths.filter((p) => !p.startsWith('dist/')).sort()).toEqual(['README.md', 'package.json']);
		expect(paths).toEqual(
			expect.arrayContaining([
				'dist/nodes/DocFlow/DocFlow.node.js',
				'dist/nodes/DocFlow/DocFlow.node.json',
				'dist/nodes/DocFlow/docflow.svg',
				'dist/nodes/DocFlow/docflow.dark.svg',
				'dist/credentials/DocFlowApi.credentials.js',
			]),
		);
		expect(paths.some((p) => p.includes('test') || p.endsWith('.ts'))).toBe(false);
	});

	test('the codex file is named after the node file and names the node', () => {
		const codex = JSON.parse(readFileSync(join(root, 'dist/nodes/DocFlow/DocFlow.node.json'), 'utf8'));
		expect(codex.node).toBe(`${pkg.name}.docFlow`);
		expect(codex.alias).toEqual(expect.arrayContaining(['OCR', 'invoice']));
		expect(codex.categories.length).toBeGreaterThan(0);
	});

	test('the node description: icons that exist, usable as a tool, the credential', () => {
		const { DocFlow } = require(join(root, 'dist/nodes/DocFlow/DocFlow.node.js'));
		const description = new DocFlow().description;
		expect(description.name).toBe('docFlow');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'docFlowApi', required: true }]);
		for (const icon of [description.icon.light, description.icon.dark]) {
			const file = join(root, 'dist/nodes/DocFlow', icon.replace('file:', ''));
			expect(readFileSync(file, 'utf8')).toMatch(/^<svg /);
		}
		const operations = description.properties.find(
			(p: { name: string; displayOptions?: { show?: { resource?: string[] } } }) =>
				p.name === 'operation' && p.displayOptions?.show?.resource?.includes('file'),
		);
		const names = operations.options.map((o: { name: string }) => o.name);
		// n8n lists options alphabetically
		expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b, 'en')));
		expect(operations.options.map((o: { value: string }) => o.value)).toEqual(
			expect.arrayContaining(['upload', 'fetchBatch', 'retry', 'updateResult', 'amendCategory', 'extractFields', 'delete']),
		);
	});

	test('shipped code requires only n8n-workflow and node built-ins', () => {
		const requires = walk(join(root, 'dist'))
			.filter((f) => f.endsWith('.js'))
			.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))
			.filter((name) => !name.startsWith('.'));
		expect([...new Set(requires)].sort()).toEqual(['n8n-workflow', 'node:crypto']);
	});
});
