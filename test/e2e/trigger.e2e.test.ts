/**
 * The DocFlow Trigger in real n8n (2.40.7 and 1.123.81): `n8n start` with the packed package
 * installed as a community package, the workflow published (activated) through n8n's REST API
 * as the editor does, n8n's own scheduler running the polls. Files uploaded after activation
 * start one execution each time they are reported, each file exactly once; a file DocFlow had
 * finished before the activation never does.
 *
 * Timing: n8n polls at most once a minute per poll time, so the workflow has six poll times a
 * minute (seconds 0, 10, … 50, each a valid once-a-minute cron): a poll every 10 seconds. The
 * trigger reports a file once its update time is a minute old in DocFlow's clock; the emulator's
 * clock runs 55 s behind n8n's (within the minute of skew the trigger allows for), so a file is
 * reported about 5 s after DocFlow finished it instead of a minute, and the skew handling runs
 * in real n8n on the way.
 */
import { join } from 'node:path';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { seedUpload } from '../harness/fixtures.ts';
import { N8nFolder, SAMPLES, n8nHome, packPackage, versionsUnderTest } from './n8n.ts';
import type { RestAnswer, Run, RunItem, RunningN8n, Workflow, WorkflowNode } from './n8n.ts';
import {
	DOCFLOW_NODE,
	ENTERPRISE_ID,
	WORKSPACE_ID,
	connect,
	expectExamplesValid,
	loadExample,
	noOp,
	nodeNamed,
	workflow,
} from './workflows.ts';

const TRIGGER_NODE = 'n8n-nodes-docflow.docFlowTrigger';
const CREDENTIAL = { id: 'e2eTriggerCred01', name: 'DocFlow trigger account', type: 'docFlowApi' };
const SCENARIO = {
	// 16 characters at most: n8n 1.x saves static data only for workflow IDs that short
	workflowId: 'e2eTrigActive001',
	appId: 'demo-app-id',
	secretCode: 'demo-secret-code',
	credentialId: CREDENTIAL.id,
	credentialName: CREDENTIAL.name,
	authentication: 'simple' as const,
};
const DOCFLOW_SKEW_MS = -55_000;
const EXAMPLE_FILE = 'export-then-delete.json';
const EXAMPLE_RUN_ID = 'e2eTrigExample01';
/** Six once-a-minute poll times: a poll every 10 seconds. */
const FAST_POLLS = { item: [0, 10, 20, 30, 40, 50].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) };

/**
 * The example as the suite runs it: the scenario's credential, fast polls, and its Google Sheets
 * node a No Op of the same name (no Google account here); everything else as shipped.
 */
function exampleForRun(): Workflow {
	const wf = loadExample(EXAMPLE_FILE);
	wf.id = EXAMPLE_RUN_ID;
	wf.name = `e2e run: ${wf.name}`;
	for (const node of wf.nodes) {
		if (node.type === DOCFLOW_NODE || node.type === TRIGGER_NODE) node.credentials = { docFlowApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
	}
	nodeNamed(wf, 'Processed document').parameters.pollTimes = FAST_POLLS;
	const sheets = nodeNamed(wf, 'Append to Google Sheets');
	Object.assign(sheets, { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
	delete sheets.credentials;
	return wf;
}

function triggerNode(): WorkflowNode {
	return {
		id: '00000000-0000-4000-8000-00000000e201',
		name: 'DocFlow Trigger',
		type: TRIGGER_NODE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			pollTimes: FAST_POLLS,
			events: ['processed'],
			workspace: { __rl: true, mode: 'id', value: WORKSPACE_ID },
			filters: {},
			simplify: true,
			options: {},
		},
		credentials: { docFlowApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(versionsUnderTest())('n8n %s: the DocFlow Trigger in an active workflow', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let n8n: RunningN8n | undefined;

	async function api(path: string, method = 'GET', body?: unknown): Promise<RestAnswer> {
		return await n8n!.rest(path, method, body);
	}

	/** The finished executions of a workflow, oldest first, with their run data. */
	async function executionsOf(workflowId: string): Promise<Array<{ id: string; mode: string; status: string; data: Run['data'] }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await api(`/rest/executions?filter=${filter}&limit=100`);
		expect(list.status).toBe(200);
		const { parse } = require(join(n8nHome(version), 'node_modules', 'flatted')) as { parse: (s: string) => Run['data'] };
		const executions = [];
		for (const summary of list.json.data.results as Array<{ id: string; status: string }>) {
			if (!['success', 'error', 'crashed'].includes(summary.status)) continue;
			const res = await api(`/rest/executions/${summary.id}`);
			executions.push({ id: summary.id, mode: res.json.data.mode, status: res.json.data.status, data: parse(res.json.data.data) });
		}
		return executions.sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** The items the trigger started executions with, per execution (n8n's stored run data). */
	async function triggeredItems(): Promise<RunItem[][]> {
		const executions = await executionsOf(SCENARIO.workflowId);
		for (const execution of executions) expect(execution.mode).toBe('trigger');
		return executions.map((e) => e.data.resultData.runData['DocFlow Trigger'][0].data!.main![0]!);
	}

	/**
	 * Publishes (activates) a workflow as the editor's toggle does, and waits for the trigger's
	 * first poll, which n8n runs right after (in 2.x after answering): what DocFlow finished
	 * before that poll counts as before the activation.
	 */
	async function activate(workflowId: string): Promise<void> {
		emulator.clearRequests();
		const stored = await api(`/rest/workflows/${workflowId}`);
		expect(stored.status).toBe(200);
		const activated = await api(`/rest/workflows/${workflowId}/activate`, 'POST', { versionId: stored.json.data.versionId });
		expect({ status: activated.status, text: activated.status === 200 ? '' : activated.text }).toEqual({ status: 200, text: '' });
		expect(activated.json.data.active).toBe(true);
		const fetches = () => emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));
		for (let i = 0; i < 40 && fetches().length === 0; i++) await sleep(500);
		if (fetches().length === 0) throw new Error(`no poll after activation; n8n said:\n${n8n?.log.slice(-4000)}`);
	}

	beforeAll(async () => {
		emulator = await startDocflowEmulator();
		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [SAMPLES]);
		await folder.importCredentials([
			{
				...CREDENTIAL,
				data: {
					appId: SCENARIO.appId,
					secretCode: SCENARIO.secretCode,
					region: 'private',
					baseUrl: emulator.url,
					enterpriseId: ENTERPRISE_ID,
					authentication: 'simple',
				},
			},
		]);
		await folder.importWorkflows([
			workflow(SCENARIO, 'trigger: files as DocFlow finishes them', [triggerNode(), noOp('Arrived')], connect(['DocFlow Trigger', 'Arrived'])),
			exampleForRun(),
			// and the example exactly as shipped (not run: it needs a Google account)
			loadExample(EXAMPLE_FILE),
		]);

		n8n = await folder.start();
		await n8n.setupOwner('owner@example.com', 'E2e-owner-pass-1');
	}, 5 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.close();
		folder?.remove();
	});

	test('/types/nodes.json: the trigger, its codex, its events, its credential; no AI tool variant of it', async () => {
		const { status, json } = await api('/types/nodes.json');
		expect(status).toBe(200);
		const nodes = json as Array<Record<string, any>>;
		const trigger = nodes.find((n) => n.name === TRIGGER_NODE);
		expect(trigger).toBeDefined();
		expect(trigger).toMatchObject({
			displayName: 'DocFlow Trigger',
			group: ['trigger'],
			version: 1,
			polling: true,
			inputs: [],
			credentials: [{ name: 'docFlowApi', required: true }],
			defaults: { name: 'DocFlow Trigger' },
		});
		expect(trigger!.usableAsTool).toBeUndefined();
		expect(nodes.some((n) => n.name === `${TRIGGER_NODE}Tool`)).toBe(false);
		expect(trigger!.codex.alias).toEqual(expect.arrayContaining(['TextIn', 'OCR', 'invoice', 'processed', 'verified']));
		expect(trigger!.iconUrl).toEqual({ light: expect.stringMatching(/docflow\.svg$/), dark: expect.stringMatching(/docflow\.dark\.svg$/) });
		const events = trigger!.properties.find((p: { name: string }) => p.name === 'events');
		expect(events.options.map((o: { name: string }) => o.name)).toEqual(['File Processed', 'File Rejected', 'File Verified']);
		expect(trigger!.properties.map((p: { name: string }) => p.name)).toEqual(
			expect.arrayContaining(['events', 'workspace', 'filters', 'simplify', 'options']),
		);
	});

	test('published, it reports each file DocFlow finishes after the activation once, and nothing from before', async () => {
		const before = await seedUpload(emulator, ['finished-before-activation.pdf']);
		emulator.finishAll();
		emulator.setClockSkew(DOCFLOW_SKEW_MS);

		// Publish / activate: n8n runs the trigger's first poll, which reads what DocFlow has and reports nothing.
		await activate(SCENARIO.workflowId);
		const activation = emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));
		expect(activation[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, verification_status: '0', page: '1', page_size: '1000' });

		const first = await seedUpload(emulator, ['after-1.pdf', 'after-2.pdf']);
		await sleep(4_000);
		const second = await seedUpload(emulator, ['after-3.pdf']);
		const expected = [...first.files, ...second.files].map((f) => f.task_id).sort();

		let executions: RunItem[][] = [];
		const deadline = Date.now() + 75_000;
		while (Date.now() < deadline) {
			executions = await triggeredItems();
			if (executions.flat().length >= 3) break;
			await sleep(2_000);
		}
		expect(executions.flat().map((i) => i.json.task_id).sort()).toEqual(expected);

		// Two more polls at least: nothing is reported again.
		await sleep(22_000);
		executions = await triggeredItems();
		const reported = executions.flat();
		expect(reported.map((i) => i.json.task_id).sort()).toEqual(expected);
		expect(reported.map((i) => i.json.task_id)).not.toContain(before.files[0].task_id);
		expect(reported[0].json).toMatchObject({
			event: 'processed',
			workspace_id: WORKSPACE_ID,
			status: 'success',
			fields: expect.objectContaining({ 'Invoice Number': expect.any(String) }),
		});
		// the polls kept coming, windows of update times each
		const polls = emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));
		expect(polls.length).toBeGreaterThanOrEqual(4);
		for (const poll of polls) expect(poll.query.start_time < poll.query.end_time).toBe(true);

		const deactivated = await api(`/rest/workflows/${SCENARIO.workflowId}/deactivate`, 'POST', {});
		expect(deactivated.status).toBe(200);
	}, 3 * 60_000);
	test('“Fetch Test Event” (a manual run over the REST API) shows the latest files and leaves the trigger’s position alone', async () => {
		// the trigger's position as n8n's database holds it (n8n 1.x's REST API does not show it)
		const position = async () => (await folder.exportWorkflows()).find((w) => w.id === SCENARIO.workflowId)?.staticData;
		const staticData = await position();
		expect((staticData as Record<string, unknown>)?.['node:DocFlow Trigger']).toMatchObject({ cursor: expect.any(Number) });
		const before = await api(`/rest/workflows/${SCENARIO.workflowId}`);
		// n8n 1.x wants the workflow in the request; 2.x reads it from its database (and ignores it)
		const started = await api(`/rest/workflows/${SCENARIO.workflowId}/run`, 'POST', {
			workflowData: before.json.data,
			triggerToStartFrom: { name: 'DocFlow Trigger' },
		});
		expect({ status: started.status, text: started.status === 200 ? '' : started.text }).toEqual({ status: 200, text: '' });
		const executionId = started.json.data.executionId as string;
		let execution: { status: string; mode: string; data: string } | undefined;
		for (let i = 0; i < 60 && !execution; i++) {
			const res = await api(`/rest/executions/${executionId}`);
			if (res.status === 200 && ['success', 'error', 'crashed'].includes(res.json.data.status)) execution = res.json.data;
			else await sleep(500);
		}
		expect(execution).toMatchObject({ mode: 'manual', status: 'success' });
		const { parse } = require(join(n8nHome(version), 'node_modules', 'flatted')) as { parse: (s: string) => Run['data'] };
		const items = parse(execution!.data).resultData.runData['DocFlow Trigger'][0].data!.main![0]!;
		expect(items.length).toBeGreaterThanOrEqual(1);
		expect(items.length).toBeLessThanOrEqual(5);
		expect(items[0].json).toMatchObject({ event: 'processed', status: 'success', workspace_id: WORKSPACE_ID });
		expect(await position()).toEqual(staticData);
	});

	test(`examples/${EXAMPLE_FILE}: imported unchanged and valid; run with the sheet stubbed, each processed document is exported once, then deleted from DocFlow`, async () => {
		// as shipped: n8n stored it unchanged, and every node, version, parameter and credential is one this n8n knows
		await expectExamplesValid(folder, [EXAMPLE_FILE]);

		// run: published, documents processed afterwards go to the (stubbed) sheet, then are deleted
		emulator.setClockSkew(DOCFLOW_SKEW_MS);
		await activate(EXAMPLE_RUN_ID);
		const failed = await seedUpload(emulator, ['export-fail-scan.pdf']); // failed: not exported, not deleted
		const plain = await seedUpload(emulator, ['export-1.pdf', 'export-2.pdf']);
		const split = await seedUpload(emulator, ['export-bundle.pdf'], { split_flag: 'true' });
		const exported = [...plain.files, ...split.files].map((f) => f.task_id).sort();

		const deadline = Date.now() + 75_000;
		while (Date.now() < deadline && emulator.tasks().some((t) => exported.includes(t.taskId))) await sleep(2_000);
		const left = emulator.tasks().filter((t) => exported.includes(t.taskId));
		if (left.length > 0) {
			const runs = await executionsOf(EXAMPLE_RUN_ID);
			throw new Error(
				`${left.length} exported documents are still in DocFlow; executions: ${JSON.stringify(runs.map((e) => ({ status: e.status, error: e.data.resultData.error?.message, ran: Object.keys(e.data.resultData.runData) })))}; requests: ${JSON.stringify(emulator.requests.map((r) => [r.method, r.path.split('/').slice(-2).join('/'), r.code]))}\n${n8n?.log.slice(-3000)}`,
			);
		}
		expect(emulator.tasks().map((t) => t.taskId)).toContain(failed.files[0].task_id);

		await sleep(12_000); // another poll or two: deleted documents start nothing
		const executions = await executionsOf(EXAMPLE_RUN_ID);
		expect(executions.map((e) => [e.mode, e.status])).toEqual(executions.map(() => ['trigger', 'success']));
		const rows = executions.flatMap((e) => e.data.resultData.runData['Append to Google Sheets'][0].data!.main![0]!);
		expect(rows.map((r) => r.json.File).sort()).toEqual(['export-1.pdf', 'export-2.pdf', 'export-bundle.pdf', 'export-bundle_1.pdf', 'export-bundle_2.pdf']);
		expect(rows.find((r) => r.json.File === 'export-1.pdf')!.json).toMatchObject({ 'Invoice Number': expect.any(String), 'Part Of': '' });
		expect(rows.find((r) => r.json.File === 'export-bundle_1.pdf')!.json['Part Of']).toBe(split.files[0].task_id);
		// one delete per execution, naming the top-level tasks only
		const deletes = emulator.requests.filter((r) => r.path.endsWith('/file/delete'));
		expect(deletes).toHaveLength(executions.length);
		expect(deletes.flatMap((d) => (d.json as { task_id: string[] }).task_id).sort()).toEqual(exported);

		expect((await api(`/rest/workflows/${EXAMPLE_RUN_ID}/deactivate`, 'POST', {})).status).toBe(200);
	}, 3 * 60_000);
});
