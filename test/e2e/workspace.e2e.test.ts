/**
 * The Workspace resource inside real n8n (each version under test), against its own DocFlow
 * emulator: Get Many, Create, Get, Update and Delete in one workflow run by `n8n execute-batch`,
 * Get with “Continue (using error output)”, and the shipped example “one workspace per new
 * client” run the way it is meant to run: activated, `n8n start`, and POSTs to its production
 * webhook URL. Every scenario is checked twice: what n8n output (or answered), and what DocFlow
 * (the emulator, in this process) received.
 */
import { randomUUID } from 'node:crypto';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { N8nFolder, SAMPLES, output, packPackage, pairedIndex, runOk, versionsUnderTest } from './n8n.ts';
import type { BatchResult, RunningN8n, Workflow, WorkflowNode } from './n8n.ts';
import {
	DOCFLOW_NODE,
	ENTERPRISE_ID,
	WORKSPACE_ID,
	connect,
	emulatorCredentials,
	exampleForRun,
	expectExamplesValid,
	loadExample,
	manualTrigger,
	n8nCredentials,
	noOp,
	requestsOf,
	rows,
	runOf,
	wire,
	workflow,
} from './workflows.ts';
import type { Scenario } from './workflows.ts';

const EXAMPLE_FILE = 'workspace-per-client.json';
const WEBHOOK_PATH = 'docflow-new-client';
const OTHER_ENTERPRISE_WORKSPACE = '3234567890';
const UNKNOWN_WORKSPACE = '404404';

function scenario(key: string, workflowId: string): Scenario {
	return {
		workflowId,
		appId: `e2e-ws-${key}`,
		secretCode: `e2e-secret-ws-${key}`,
		credentialId: `e2eCredWs${key.charAt(0).toUpperCase()}${key.slice(1)}`,
		credentialName: `DocFlow e2e workspace ${key}`,
		authentication: 'simple',
	};
}

const SCENARIOS = {
	crud: scenario('crud', 'e2eWsCrud00000000001'),
	errors: scenario('errors', 'e2eWsErrors000000001'),
	example: scenario('example', 'e2eWsExample00000001'),
};

/** A DocFlow node on the Workspace resource with the scenario's credential. */
function workspaceNode(name: string, s: Scenario, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: DOCFLOW_NODE,
		typeVersion: 1.1,
		position: [0, 0],
		parameters: { resource: 'workspace', ...parameters },
		credentials: { docFlowApi: { id: s.credentialId, name: s.credentialName } },
		...extra,
	};
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

describe.each(versionsUnderTest())('n8n %s: Workspace resource', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let batch: BatchResult;
	let n8n: RunningN8n | undefined;
	let base = '';
	const workflows: Workflow[] = [];

	async function post(body: unknown): Promise<{ status: number; json: any; text: string }> {
		const res = await fetch(`${base}/webhook/${WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await res.text();
		let json: any;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, json, text };
	}

	beforeAll(async () => {
		emulator = await startDocflowEmulator({
			credentials: emulatorCredentials(Object.values(SCENARIOS)),
		});
		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [SAMPLES]);
		const credentials = n8nCredentials(emulator.url, Object.values(SCENARIOS));
		await folder.importCredentials(credentials);

		const { crud, errors, example } = SCENARIOS;
		const id = byId('={{ $json.workspace_id }}');
		workflows.push(
			// Get Many before; then Create → Get → Update → Get → Delete → Get Many after
			workflow(
				crud,
				'workspace: create, get, update, delete',
				[
					manualTrigger(),
					workspaceNode('List before', crud, { operation: 'getAll', returnAll: true }),
					workspaceNode('Create', crud, {
						operation: 'create',
						name: 'E2E Client',
						authScope: 0,
						additionalFields: { description: 'Made by the e2e suite' },
					}),
					workspaceNode('Get', crud, { operation: 'get', workspace: id }),
					workspaceNode('Update', crud, {
						operation: 'update',
						workspace: id,
						updateFields: { name: 'E2E Client (renamed)', callbackUrl: 'https://example.com/docflow-callback', callbackRetryTime: 2 },
					}),
					workspaceNode('Get updated', crud, { operation: 'get', workspace: id }),
					workspaceNode('Delete', crud, { operation: 'delete', workspace: id }),
					workspaceNode('List after', crud, { operation: 'getAll', returnAll: true }),
				],
				connect(['Start', 'List before'], ['Start', 'Create', 'Get', 'Update', 'Get updated', 'Delete', 'List after']),
			),
			// Get with “Continue (using error output)”: one workspace DocFlow has, one it does not,
			// one of another enterprise
			workflow(
				errors,
				'workspace: get with error output',
				[
					manualTrigger(),
					...rows('Workspaces', [
						{ label: 'invoices', ws: WORKSPACE_ID },
						{ label: 'missing', ws: UNKNOWN_WORKSPACE },
						{ label: 'other enterprise', ws: OTHER_ENTERPRISE_WORKSPACE },
					]),
					workspaceNode('Get', errors, { operation: 'get', workspace: byId('={{ $json.ws }}') }, { onError: 'continueErrorOutput' }),
					noOp('Succeeded'),
					noOp('Failed'),
				],
				connect(['Start', 'Workspaces rows', 'Workspaces', 'Get', 'Succeeded'], [['Get', 1], 'Failed']),
			),
			// the example, with the scenario's credential (and a webhook ID of its own: the shipped
			// copy is imported too)
			exampleForRun(EXAMPLE_FILE, example, (wf) => {
				for (const node of wf.nodes) if (node.type === 'n8n-nodes-base.webhook') (node as WorkflowNode & { webhookId?: string }).webhookId = randomUUID();
			}),
		);
		await folder.importWorkflows([...workflows, loadExample(EXAMPLE_FILE)]);
		batch = await folder.executeBatch([crud.workflowId, errors.workflowId]);

		// activate the example (2.x: publish), then n8n start serves its production webhook
		const activate = version.startsWith('1.')
			? ['update:workflow', `--id=${example.workflowId}`, '--active=true']
			: ['publish:workflow', `--id=${example.workflowId}`];
		await runOk(['run', version, folder.dir, ...activate], { env: folder.env });
		n8n = await folder.start();
		base = n8n.base();
		// ready is not yet active: wait until the webhook answers for POST (a GET then says so)
		const until = Date.now() + 60_000;
		for (;;) {
			const probe = await fetch(`${base}/webhook/${WEBHOOK_PATH}`).then((r) => r.text());
			if (/Did you mean to make a POST request/.test(probe)) break;
			if (Date.now() > until) throw new Error(`the example's webhook was not registered: ${probe}\n${n8n.log.slice(-6000)}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.close();
		folder?.remove();
	});

	test('the workflows finished', () => {
		expect(Object.fromEntries(batch.errors)).toEqual({});
		for (const s of [SCENARIOS.crud, SCENARIOS.errors]) expect(runOf(batch, s).data.resultData.error).toBeUndefined();
	});

	test('Get Many, Create, Get, Update, Delete in one run: outputs, and what DocFlow received', () => {
		const s = SCENARIOS.crud;
		const r = runOf(batch, s);
		expect(output(r, 'List before').map((i) => [i.json.workspace_id, i.json.name])).toEqual([
			[WORKSPACE_ID, 'Invoices'],
			['2234567890', 'Contracts'],
		]);
		const [created] = output(r, 'Create').map((i) => i.json);
		expect(created).toEqual({
			workspace_id: expect.stringMatching(/^\d{19}$/),
			name: 'E2E Client',
			description: 'Made by the e2e suite',
			auth_scope: 0,
			manage_account_id: `account_${s.appId}`,
			manage_account_name: s.appId,
			callback_url: '',
			callback_retry_time: 0,
		});
		const wsId = created.workspace_id as string;
		expect(output(r, 'Get').map((i) => i.json)).toEqual([created]);
		const updated = { ...created, name: 'E2E Client (renamed)', callback_url: 'https://example.com/docflow-callback', callback_retry_time: 2 };
		expect(output(r, 'Update').map((i) => i.json)).toEqual([updated]);
		expect(output(r, 'Get updated').map((i) => i.json)).toEqual([updated]);
		expect(output(r, 'Delete').map((i) => i.json)).toEqual([{ workspace_id: wsId, deleted: true }]);
		expect(output(r, 'List after').map((i) => i.json.workspace_id)).toEqual([WORKSPACE_ID, '2234567890']);

		const requests = requestsOf(emulator, s);
		expect(wire(requests)).toEqual([
			'GET workspace/list',
			'GET workspace/list',
			'POST workspace/create',
			'GET workspace/get',
			'GET workspace/get',
			'GET workspace/get',
			'POST workspace/update',
			'GET workspace/get',
			'POST workspace/delete',
			'GET workspace/list',
		]);
		for (const q of requests) {
			expect(q.auth).toMatchObject({ mode: 'simple', valid: true, enterpriseId: ENTERPRISE_ID });
			expect(q.code).toBe(200);
		}
		const body = (endpoint: string) => requests.find((q) => q.path.endsWith(`/${endpoint}`))!.json;
		expect(body('workspace/create')).toEqual({ name: 'E2E Client', description: 'Made by the e2e suite', enterprise_id: 1001, auth_scope: 0 });
		expect(body('workspace/update')).toEqual({
			workspace_id: wsId,
			name: 'E2E Client (renamed)',
			auth_scope: 0,
			description: 'Made by the e2e suite',
			callback_url: 'https://example.com/docflow-callback',
			callback_retry_time: 2,
		});
		expect(body('workspace/delete')).toEqual({ workspace_ids: [wsId] });
		expect(requests[0].query).toEqual({ enterprise_id: ENTERPRISE_ID, page: '1', page_size: '100' });
		expect(emulator.workspaces.some((w) => w.workspace_id === wsId)).toBe(false);
	});

	test('error output: the workspace DocFlow has reaches “Succeeded”; the unknown one and another enterprise’s reach “Failed” with DocFlow’s detail', () => {
		const s = SCENARIOS.errors;
		const r = runOf(batch, s);
		expect(output(r, 'Get', 0).map((i) => [i.json.name, pairedIndex(i)])).toEqual([['Invoices', 0]]);
		expect(output(r, 'Get', 1).map(pairedIndex)).toEqual([1, 2]);
		expect(output(r, 'Succeeded').map((i) => i.json.workspace_id)).toEqual([WORKSPACE_ID]);
		const failed = output(r, 'Failed').map((i) => i.json);
		expect(failed).toEqual(
			[
				['missing', UNKNOWN_WORKSPACE, 1],
				['other enterprise', OTHER_ENTERPRISE_WORKSPACE, 2],
			].map(([label, ws, item]) => ({
				label,
				ws,
				error: {
					message: expect.stringMatching(new RegExp(`^DocFlow does not know this workspace \\(DocFlow code 40004, “工作空间不存在”.*\\[item ${item}\\]$`)),
					description: expect.stringMatching(/Check the Workspace ID/),
					workspace_id: ws,
					docflow_code: 40004,
					docflow_message: '工作空间不存在',
					trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
				},
			})),
		);
		expect(requestsOf(emulator, s).map((q) => [q.query.workspace_id, q.code])).toEqual([
			[WORKSPACE_ID, 200],
			[UNKNOWN_WORKSPACE, 40004],
			[OTHER_ENTERPRISE_WORKSPACE, 40004],
		]);
	});

	test('example “one workspace per new client” through its production webhook: 201 with the new workspace ID; a bad request 422 with what to do, nothing created', async () => {
		const s = SCENARIOS.example;
		const acme = await post({ client_name: 'Acme Corp' });
		expect(acme.status).toBe(201);
		expect(acme.json).toEqual({ workspace_id: expect.stringMatching(/^\d{19}$/), name: 'Acme Corp' });
		const beta = await post({ client_name: 'Beta GmbH' });
		expect(beta.status).toBe(201);
		expect(beta.json.workspace_id).not.toBe(acme.json.workspace_id);

		const empty = await post({ client_name: '' });
		expect(empty.status).toBe(422);
		expect(empty.json).toEqual({ error: 'Name is empty [item 0]', what_to_do: expect.stringMatching(/Set the workspace’s Name/) });
		const long = await post({ client_name: 'L'.repeat(51) });
		expect(long.status).toBe(422);
		expect(long.json.error).toBe('Name is 51 characters long; DocFlow allows at most 50 [item 0]');

		// DocFlow has the two workspaces, as the webhook's callers were told
		for (const [answer, name] of [
			[acme, 'Acme Corp'],
			[beta, 'Beta GmbH'],
		] as const) {
			expect(emulator.workspaces.find((w) => w.workspace_id === answer.json.workspace_id)).toMatchObject({
				name,
				enterprise_id: ENTERPRISE_ID,
				auth_scope: 1,
				description: `Documents of client ${name}`,
			});
		}
		// one create each for the two good requests, nothing at all for the bad ones
		const requests = requestsOf(emulator, s);
		expect(wire(requests)).toEqual([
			'GET workspace/list',
			'POST workspace/create',
			'GET workspace/get',
			'GET workspace/list',
			'POST workspace/create',
			'GET workspace/get',
		]);
		expect(requests.filter((q) => q.path.endsWith('/workspace/create')).map((q) => q.json)).toEqual(
			['Acme Corp', 'Beta GmbH'].map((name) => ({ name, description: `Documents of client ${name}`, enterprise_id: 1001, auth_scope: 1 })),
		);
	});

	test('the example imports unchanged and every node, version, parameter and credential is one this n8n knows', async () => {
		await expectExamplesValid(folder, [EXAMPLE_FILE]);
	});
});
