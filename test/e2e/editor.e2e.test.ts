/**
 * `n8n start` (2.40.7) with the packed package installed as a community package: what the
 * editor gets from the server. The node and its codex (search aliases) and the credential
 * are registered, the credential's Test button and the node's pickers work against DocFlow
 * (the emulator), and the icons are served.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { N8nFolder, SAMPLES, n8nHome, packPackage } from './n8n.ts';
import type { RestAnswer, Run, RunningN8n } from './n8n.ts';
import { connect, docflow, manualTrigger, readFiles, workflow } from './workflows.ts';
import type { Scenario } from './workflows.ts';

const VERSION = '2.40.7';
const CREDENTIAL = { id: 'e2eEditorCred01', name: 'DocFlow account', type: 'docFlowApi' };
const NODE = 'n8n-nodes-docflow.docFlow';
/** the workflow the test runs the way the editor's “Execute workflow” button does */
const MANUAL: Scenario = {
	workflowId: 'e2eEditorManual000001',
	appId: 'demo-app-id',
	secretCode: 'demo-secret-code',
	credentialId: CREDENTIAL.id,
	credentialName: CREDENTIAL.name,
	authentication: 'simple',
};

describe(`n8n ${VERSION} start: the editor's view of the package`, () => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let n8n: RunningN8n | undefined;
	let cookie = '';

	function credentialData(overrides: Record<string, unknown> = {}) {
		return {
			appId: 'demo-app-id',
			secretCode: 'demo-secret-code',
			region: 'private',
			baseUrl: emulator.url,
			enterpriseId: '1001',
			authentication: 'simple',
			...overrides,
		};
	}

	async function api(path: string, body?: unknown): Promise<RestAnswer> {
		return await n8n!.rest(path, body === undefined ? 'GET' : 'POST', body);
	}

	beforeAll(async () => {
		emulator = await startDocflowEmulator();
		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(VERSION, tgz, [SAMPLES]);
		await folder.importCredentials([{ ...CREDENTIAL, data: credentialData() }]);
		await folder.importWorkflows([
			workflow(
				MANUAL,
				'editor: manual run',
				[manualTrigger(), readFiles('Read', `${SAMPLES}/simple.pdf`), docflow('DocFlow', MANUAL, { operation: 'upload' })],
				connect(['Start', 'Read', 'DocFlow']),
			),
		]);

		n8n = await folder.start();
		cookie = await n8n.setupOwner('owner@example.com', 'E2e-owner-pass-1');
	}, 5 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.close();
		folder?.remove();
	});

	test('a fresh instance creates its owner and hands out a session', () => {
		expect(cookie).toMatch(/^n8n-auth=/);
	});

	test('/types/nodes.json: the node, both versions, its codex (categories, search aliases) and credential', async () => {
		const { status, json } = await api('/types/nodes.json');
		expect(status).toBe(200);
		const node = (json as Array<Record<string, any>>).find((n) => n.name === NODE);
		expect(node).toBeDefined();
		expect(node!.displayName).toBe('DocFlow');
		expect(node!.version).toEqual([1, 1.1, 1.2]);
		expect(node!.defaultVersion).toBe(1.2);
		expect(node!.credentials).toEqual([{ name: 'docFlowApi', required: true }]);
		expect(node!.codex.alias).toEqual(expect.arrayContaining(['invoice', 'OCR', 'TextIn', 'PDF']));
		expect(node!.codex.categories).toEqual(expect.arrayContaining(['Productivity']));
		expect(node!.iconUrl).toEqual({
			light: expect.stringMatching(/docflow\.svg$/),
			dark: expect.stringMatching(/docflow\.dark\.svg$/),
		});
		// The File resource's operations as n8n serves them, in n8n's order (alphabetical by name)
		const operations = node!.properties.find(
			(p: { name: string; displayOptions?: { show?: { resource?: string[] } } }) =>
				p.name === 'operation' && p.displayOptions?.show?.resource?.includes('file'),
		);
		expect(operations.options.map((o: { value: string }) => o.value)).toEqual([
			'amendCategory',
			'delete',
			'extractFields',
			'fetchBatch',
			'retry',
			'updateResult',
			'upload',
		]);
		// usableAsTool: n8n derives the AI-agent tool variant
		expect((json as Array<{ name: string }>).some((n) => n.name === `${NODE}Tool`)).toBe(true);
	});

	test('/types/credentials.json: the DocFlow API credential with its fields and test request', async () => {
		const { status, json } = await api('/types/credentials.json');
		expect(status).toBe(200);
		const credential = (json as Array<Record<string, any>>).find((c) => c.name === 'docFlowApi');
		expect(credential).toBeDefined();
		expect(credential!.displayName).toBe('DocFlow API');
		expect(credential!.properties.map((p: { name: string }) => p.name)).toEqual(
			expect.arrayContaining(['appId', 'secretCode', 'region', 'baseUrl', 'enterpriseId', 'authentication']),
		);
		expect(credential!.supportedNodes).toContain(NODE);
		expect(credential!.test.request.url).toBe('/api/app-api/sip/platform/v2/auth/token');
	});

	test('the node and credential icons are served', async () => {
		for (const path of ['/icons/n8n-nodes-docflow/dist/nodes/DocFlow/docflow.svg', '/icons/n8n-nodes-docflow/dist/nodes/DocFlow/docflow.dark.svg']) {
			const res = await api(path);
			expect(res.status).toBe(200);
			expect(res.text).toContain('<svg');
		}
	});

	test("the credential's Test button: accepted, refused with a wrong secret, and with signature authentication", async () => {
		emulator.clearRequests();
		const test = (data: Record<string, unknown>) =>
			api('/rest/credentials/test', { credentials: { ...CREDENTIAL, data } });
		expect((await test(credentialData())).json.data).toEqual({ status: 'OK', message: 'Connection successful!' });
		const wrong = (await test(credentialData({ secretCode: 'not-the-secret' }))).json.data;
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(/^DocFlow refused the App ID, Secret Code or signature \(DocFlow code 40102\)/);
		expect((await test(credentialData({ authentication: 'signature' }))).json.data.status).toBe('OK');

		const calls = emulator.requests.filter((r) => r.path.endsWith('/auth/token'));
		expect(calls.map((r) => r.auth.mode)).toEqual(['simple', 'simple', 'signature']);
		expect(calls.map((r) => r.auth.valid)).toEqual([true, false, true]);
		expect(calls[2].headers['x-ti-secret-code']).toBeUndefined();
	});

	test("the Workspace list and the Category options load through n8n's dynamic-parameter API", async () => {
		const common = {
			nodeTypeAndVersion: { name: NODE, version: 1.1 },
			currentNodeParameters: {
				resource: 'file',
				operation: 'upload',
				workspace: { __rl: true, mode: 'list', value: '1234567890' },
			},
			credentials: { docFlowApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		};
		const workspaces = await api('/rest/dynamic-node-parameters/resource-locator-results', {
			...common,
			path: 'parameters.workspace',
			methodName: 'searchWorkspaces',
		});
		expect(workspaces.status).toBe(200);
		expect(workspaces.json.data.results).toEqual(
			expect.arrayContaining([expect.objectContaining({ name: expect.stringContaining('Invoices'), value: '1234567890' })]),
		);

		const categories = await api('/rest/dynamic-node-parameters/options', {
			...common,
			path: 'parameters.options.category',
			methodName: 'getCategories',
		});
		expect(categories.status).toBe(200);
		expect(categories.json.data.map((o: { value: string }) => o.value)).toEqual(expect.arrayContaining(['发票', 'receipt', 'contract']));
	});

	test("the editor's “Execute workflow” (manual mode over the REST API) uploads, waits and shows the results", async () => {
		emulator.clearRequests();
		const started = await api(`/rest/workflows/${MANUAL.workflowId}/run`, { triggerToStartFrom: { name: 'Start' } });
		expect(started.status).toBe(200);
		const executionId = started.json.data.executionId as string;
		expect(executionId).toBeTruthy();

		let execution: { status: string; mode: string; data: string } | undefined;
		for (let i = 0; i < 120; i++) {
			const res = await api(`/rest/executions/${executionId}`);
			if (res.status === 200 && ['success', 'error', 'crashed'].includes(res.json.data.status)) {
				execution = res.json.data;
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		expect(execution).toBeDefined();
		expect(execution!.mode).toBe('manual');
		expect(execution!.status).toBe('success');
		// execution data is stored "flatted"-encoded; n8n's own copy of flatted reads it
		const { parse } = require(join(n8nHome(VERSION), 'node_modules', 'flatted')) as { parse: (s: string) => Run['data'] };
		const data = parse(execution!.data);
		const items = data.resultData.runData['DocFlow'][0].data!.main![0]!;
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({ file_name: 'simple.pdf', status: 'success', fields: expect.objectContaining({ 'Invoice Number': '28737000' }) }),
		]);
		const uploads = emulator.requests.filter((r) => r.path.endsWith('/file/upload'));
		expect(uploads).toHaveLength(1);
		expect(uploads[0].parts![0].size).toBe(readFileSync(join(SAMPLES, 'simple.pdf')).length);
	});
});
