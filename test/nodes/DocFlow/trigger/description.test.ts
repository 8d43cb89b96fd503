/**
 * What n8n reads of the trigger before it runs it: its description (a polling trigger, no
 * inputs, not an AI tool, options in n8n's alphabetical order), its codex file and its
 * registration in package.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { DocFlowTrigger } from '../../../../nodes/DocFlow/DocFlowTrigger.node';

const root = join(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { description } = new DocFlowTrigger();
const byName = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
const names = (options: unknown) => (options as Array<{ name?: string; displayName?: string }>).map((o) => o.name ?? o.displayName);
const sorted = (list: Array<string | undefined>) => [...list].sort((a, b) => String(a).localeCompare(String(b), 'en'));

describe('DocFlow Trigger: description', () => {
	test('a polling trigger with no inputs, the DocFlow credential and icons, and not usable as an AI tool', () => {
		expect(description).toMatchObject({
			name: 'docFlowTrigger',
			displayName: 'DocFlow Trigger',
			group: ['trigger'],
			polling: true,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'docFlowApi', required: true }],
			icon: { light: 'file:docflow.svg', dark: 'file:docflow.dark.svg' },
		});
		expect(description.usableAsTool).toBeUndefined();
		for (const icon of Object.values(description.icon as Record<string, string>)) {
			expect(readFileSync(join(root, 'nodes/DocFlow', icon.replace('file:', '')), 'utf8')).toMatch(/^<svg /);
		}
	});

	test('registered in package.json, with a codex file named after the node file', () => {
		expect(pkg.n8n.nodes).toContain('dist/nodes/DocFlow/DocFlowTrigger.node.js');
		const codex = JSON.parse(readFileSync(join(root, 'nodes/DocFlow/DocFlowTrigger.node.json'), 'utf8'));
		expect(codex.node).toBe(`${pkg.name}.docFlowTrigger`);
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.alias).toEqual(expect.arrayContaining(['TextIn', 'OCR', 'invoice']));
	});

	test('events, filters and options in the order n8n lists them; Batching (about input items) is not offered', () => {
		const events = byName('events');
		expect(events).toMatchObject({ type: 'multiOptions', required: true, default: ['processed'] });
		expect(names(events.options)).toEqual(['File Processed', 'File Rejected', 'File Verified']);
		const filters = byName('filters').options as INodeProperties[];
		expect(names(filters)).toEqual(sorted(names(filters)));
		const results = filters.find((f) => f.name === 'processingResults')!;
		expect(names(results.options)).toEqual(['Classification Complete', 'Recognition Failed', 'Recognition Success']);
		expect(results.default).toEqual([1, 2, 10]);
		const options = byName('options').options as INodeProperties[];
		expect(names(options)).toEqual(sorted(names(options)));
		expect(options.map((o) => o.name)).toEqual(
			expect.arrayContaining(['includeDocumentText', 'includeTaskDetailUrl', 'maxFilesPerPoll', 'startFrom', 'maxRetries', 'maxRetrySeconds', 'requestTimeoutSeconds']),
		);
		expect(options.map((o) => o.name)).not.toContain('batching');
		expect(byName('workspace').modes!.map((m) => m.name)).toEqual(['list', 'id']);
	});
});
