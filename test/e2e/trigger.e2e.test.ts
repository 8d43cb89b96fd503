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
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { seedUpload } from '../harness/fixtures.ts';
import { N8N_SH, N8nFolder, REPO, SAMPLES, n8nHome, n8nSh, packPackage, stopServer, versionsUnderTest } from './n8n.ts';
import type { Run, RunItem, WorkflowNode } from './n8n.ts';
import { ENTERPRISE_ID, WORKSPACE_ID, connect, noOp, workflow } from './workflows.ts';

const TRIGGER_NODE = 'n8n-nodes-docflow.docFlowTrigger';
const CREDENTIAL = { id: 'e2eTriggerCred01', name: 'DocFlow trigger account', type: 'docFlowApi' };
const SCENARIO = {
	workflowId: 'e2eTriggerActive00001',
	appId: 'demo-app-id',
	secretCode: 'demo-secret-code',
	credentialId: CREDENTIAL.id,
	credentialName: CREDENTIAL.name,
	authentication: 'simple' as const,
};
const DOCFLOW_SKEW_MS = -55_000;

function triggerNode(): WorkflowNode {
	return {
		id: '00000000-0000-4000-8000-00000000e201',
		name: 'DocFlow Trigger',
		type: TRIGGER_NODE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			pollTimes: { item: [0, 10, 20, 30, 40, 50].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) },
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
	let server: ChildProcess | undefined;
	let serverLog = '';
	let base = '';
	let cookie = '';

	async function api(path: string, method = 'GET', body?: unknown): Promise<{ status: number; json: any; text: string }> {
		const res = await fetch(`${base}${path}`, {
			method,
			headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
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

	/** The items the trigger started executions with, per execution (n8n's stored run data). */
	async function triggeredItems(): Promise<RunItem[][]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: SCENARIO.workflowId }));
		const list = await api(`/rest/executions?filter=${filter}&limit=100`);
		expect(list.status).toBe(200);
		const { parse } = require(join(n8nHome(version), 'node_modules', 'flatted')) as { parse: (s: string) => Run['data'] };
		const executions: RunItem[][] = [];
		for (const summary of list.json.data.results as Array<{ id: string; mode: string; status: string }>) {
			if (!['success', 'error', 'crashed'].includes(summary.status)) continue;
			const res = await api(`/rest/executions/${summary.id}`);
			expect(res.json.data.mode).toBe('trigger');
			const data = parse(res.json.data.data);
			executions.push(data.resultData.runData['DocFlow Trigger'][0].data!.main![0]!);
		}
		return executions;
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
		]);

		const port = Number((await n8nSh(['free-port'])).stdout.trim());
		base = `http://127.0.0.1:${port}`;
		// its own process group, so the task runner n8n starts goes down with it
		server = spawn('bash', [N8N_SH, 'start', version, folder.dir, String(port)], {
			cwd: REPO,
			env: { ...process.env, ...folder.env, N8N_LOG_LEVEL: 'warn' },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
		server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
		const ready = await n8nSh(['wait-healthy', String(port), '180']);
		if (ready.code !== 0) throw new Error(`n8n start did not become ready\n${ready.stderr}\n${serverLog.slice(-6000)}`);
		// n8n 1.x answers its readiness check a moment before its REST API is mounted
		let owner = await n8nSh(['owner-setup', String(port), 'owner@example.com', 'E2e-owner-pass-1']);
		for (let i = 0; i < 30 && owner.code !== 0 && /HTTP 404/.test(owner.stderr); i++) {
			await sleep(1_000);
			owner = await n8nSh(['owner-setup', String(port), 'owner@example.com', 'E2e-owner-pass-1']);
		}
		if (owner.code !== 0) throw new Error(`owner setup failed: ${owner.stderr}`);
		cookie = owner.stdout.trim();
	}, 5 * 60_000);

	afterAll(async () => {
		await stopServer(server);
		await emulator?.close();
		folder?.remove();
	});

	test('published, it reports each file DocFlow finishes after the activation once, and nothing from before', async () => {
		const before = await seedUpload(emulator, ['finished-before-activation.pdf']);
		emulator.finishAll();
		emulator.setClockSkew(DOCFLOW_SKEW_MS);
		emulator.clearRequests();

		// Publish / activate, as the editor's toggle does.
		const stored = await api(`/rest/workflows/${SCENARIO.workflowId}`);
		expect(stored.status).toBe(200);
		const activated = await api(`/rest/workflows/${SCENARIO.workflowId}/activate`, 'POST', { versionId: stored.json.data.versionId });
		expect({ status: activated.status, text: activated.status === 200 ? '' : activated.text }).toEqual({ status: 200, text: '' });
		expect(activated.json.data.active).toBe(true);
		// n8n runs the trigger's first poll on activation: it reads what DocFlow has, and reports nothing.
		const fetches = () => emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));
		for (let i = 0; i < 40 && fetches().length === 0; i++) await sleep(500);
		const activation = fetches();
		if (activation.length === 0) throw new Error(`no poll after activation; n8n said:\n${serverLog.slice(-4000)}`);
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
});
