/**
 * The DocFlow node in n8n 2.40.7's queue mode, set up the way teams run it: a main instance
 * takes the webhooks, two workers run the executions, Redis carries the queue, Postgres holds
 * the executions and the binary data (N8N_DEFAULT_BINARY_DATA_MODE=database). The packed
 * package is installed as a community package in each instance's own ~/.n8n/nodes.
 *
 * Workflows are created and published through n8n's REST API and driven through their
 * production webhook URLs. DocFlow is the emulator (in this process) behind a TCP proxy that
 * names the process that opened each connection.
 *
 * Run with `bash scripts/e2e-queue.sh` (installs Redis/Postgres from Debian if absent, and
 * removes everything afterwards, also when the run fails or is interrupted).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator, RecordedRequest } from '../emulator/index.ts';
import { sha256 } from '../harness/fixtures.ts';
import { n8nRequest, n8nSh, runOk } from '../e2e/n8n.ts';
import type { RestAnswer, Workflow, WorkflowNode } from '../e2e/n8n.ts';
import { WORKSPACE_ID, connect, docflow } from '../e2e/workflows.ts';
import type { Scenario } from '../e2e/workflows.ts';
import {
	OwnerRecordingProxy,
	Postgres,
	Redis,
	VERSION,
	Work,
	canSetHostname,
	freePorts,
	jsonLog,
	pdfLike,
	pool,
	sleep,
	startN8n,
	waitHealthy,
} from './services.ts';
import type { Service } from './services.ts';

const FILES = 100;
const PARALLEL = 10;
const WORKER_CONCURRENCY = 5;
const STOP_LIMIT_MS = 2000;
const ENCRYPTION_KEY = `docflow-queue-e2e-${randomBytes(12).toString('hex')}`;
const INVOICE_NUMBER = '28737000';

const CREDENTIAL = { name: 'DocFlow (emulator)', type: 'docFlowApi' };
const UPLOAD_PATH = 'docflow-queue-upload';
const STOP_PATH = 'docflow-queue-stop';

interface Posted {
	name: string;
	bytes: Buffer;
	sha: string;
}

interface Answer {
	status: number;
	body: any;
	text: string;
	ms: number;
}

function uploadsOf(requests: RecordedRequest[]): RecordedRequest[] {
	return requests.filter((r) => r.method === 'POST' && r.path.endsWith('/file/upload'));
}

describe(`n8n ${VERSION} in queue mode: main + 2 workers, Redis, Postgres, binary data in the database`, () => {
	const started = Date.now();
	let work: Work;
	let emulator: DocflowEmulator;
	let proxy: OwnerRecordingProxy;
	let pg: Postgres | undefined;
	let redis: Redis | undefined;
	let main: Service | undefined;
	const workers: Service[] = [];
	const workerHostnames = new Map<string, string>();
	let base = '';
	let cookie = '';
	const workflowIds = { upload: '', stop: '' };
	const posted: Posted[] = [];
	let answers: Answer[] = [];

	let credentialId = '';

	function credentialData() {
		return {
			appId: 'demo-app-id',
			secretCode: 'demo-secret-code',
			region: 'private',
			baseUrl: proxy.url,
			enterpriseId: '1001',
			authentication: 'simple',
		};
	}

	async function api(method: string, path: string, body?: unknown): Promise<RestAnswer> {
		return await n8nRequest(base, cookie, path, method, body);
	}

	async function apiOk(method: string, path: string, body?: unknown): Promise<any> {
		const res = await api(method, path, body);
		if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text.slice(0, 1000)}`);
		return res.json?.data ?? res.json;
	}

	async function postFile(path: string, file: Posted): Promise<Answer> {
		const form = new FormData();
		form.append('data', new Blob([new Uint8Array(file.bytes)], { type: 'application/pdf' }), file.name);
		const t = Date.now();
		const res = await fetch(`${base}/webhook/${path}`, { method: 'POST', body: form });
		const text = await res.text();
		let body: any;
		try {
			body = JSON.parse(text);
		} catch {
			body = undefined;
		}
		return { status: res.status, body, text, ms: Date.now() - t };
	}

	/** Webhook (multipart) → DocFlow Upload, waiting for the results → Respond to Webhook. */
	function webhookWorkflow(name: string, path: string, credentialId: string, options: Record<string, unknown> = {}): Partial<Workflow> {
		const scenario = { credentialId, credentialName: CREDENTIAL.name } as Scenario;
		const nodes: WorkflowNode[] = [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
				webhookId: randomUUID(),
			} as WorkflowNode,
			docflow('DocFlow', scenario, {
				operation: 'upload',
				workspace: { __rl: true, mode: 'id', value: WORKSPACE_ID },
				waitForCompletion: true,
				options,
			}),
			{
				id: randomUUID(),
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.5,
				position: [440, 0],
				parameters: {
					respondWith: 'json',
					responseBody: '={{ { execution_id: $execution.id, result: $json } }}',
					options: {},
				},
			},
		];
		nodes.forEach((node, i) => (node.position = [i * 220, 0]));
		return { name, nodes, connections: connect(['Webhook', 'DocFlow', 'Respond']), settings: { executionOrder: 'v1' } };
	}

	beforeAll(async () => {
		work = Work.create();
		const installed = await n8nSh(['install', VERSION], { liveStderr: true });
		if (installed.code !== 0) throw new Error(`installing n8n ${VERSION} failed`);
		const packDir = work.path('pack');
		mkdirSync(packDir, { recursive: true });
		const tgz = (await runOk(['pack', packDir])).stdout.trim().split('\n').pop()!;

		const [pgPort, redisPort, mainPort, mainBroker, w1Health, w1Broker, w2Health, w2Broker] = await freePorts(8);
		emulator = await startDocflowEmulator({ stepMs: 50 });
		proxy = await OwnerRecordingProxy.start(emulator.port);
		[pg, redis] = await Promise.all([Postgres.start(work, pgPort), Redis.start(work, redisPort)]);

		// each instance its own user folder with the package in its ~/.n8n/nodes, as in containers
		const folders = { main: work.path('n8n-main'), w1: work.path('n8n-worker-1'), w2: work.path('n8n-worker-2') };
		await Promise.all(Object.values(folders).map((dir) => runOk(['setup', VERSION, dir, tgz])));

		const common: NodeJS.ProcessEnv = {
			EXECUTIONS_MODE: 'queue',
			...redis.env(),
			...pg.env(),
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_FORMAT: 'json',
			N8N_LOG_OUTPUT: 'console',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		};
		main = startN8n({
			work,
			name: 'n8n-main',
			userFolder: folders.main,
			command: 'start',
			env: {
				...common,
				N8N_PORT: String(mainPort),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: 'localhost',
				N8N_EDITOR_BASE_URL: `http://localhost:${mainPort}`,
				N8N_RUNNERS_BROKER_PORT: String(mainBroker),
			},
		});
		proxy.watch(main);
		base = `http://127.0.0.1:${mainPort}`;
		// the main instance migrates the database first; the workers start on a migrated one
		await waitHealthy(main, mainPort);

		const ownHostnames = canSetHostname();
		const workerPorts = [
			[w1Health, w1Broker, folders.w1],
			[w2Health, w2Broker, folders.w2],
		] as const;
		workerPorts.forEach(([health, broker, folder], i) => {
			const name = `n8n-worker-${i + 1}`;
			const hostname = ownHostnames ? `docflow-queue-w${i + 1}` : undefined;
			const worker = startN8n({
				work,
				name,
				userFolder: folder,
				command: 'worker',
				args: [`--concurrency=${WORKER_CONCURRENCY}`],
				hostname,
				env: {
					...common,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(health),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					N8N_RUNNERS_BROKER_PORT: String(broker),
				},
			});
			if (hostname) workerHostnames.set(name, `worker-${hostname}`);
			proxy.watch(worker);
			workers.push(worker);
		});
		await Promise.all(workers.map((worker, i) => waitHealthy(worker, workerPorts[i][0])));

		const owner = await n8nSh(['owner-setup', String(mainPort), 'owner@example.com', 'Queue-e2e-pass-1']);
		if (owner.code !== 0) throw new Error(`owner setup failed: ${owner.stderr}\n${main.tail()}`);
		cookie = owner.stdout.trim();

		const credential = await apiOk('POST', '/rest/credentials', { ...CREDENTIAL, data: credentialData() });
		credentialId = credential.id;
		for (const [key, wf] of [
			['upload', webhookWorkflow('queue e2e: upload', UPLOAD_PATH, credential.id)],
			// polls every 0.25 s: if the stop did not reach the node, DocFlow would hear from it at once
			['stop', webhookWorkflow('queue e2e: stop', STOP_PATH, credential.id, { pollIntervalSeconds: 0.25 })],
		] as const) {
			const created = await apiOk('POST', '/rest/workflows', wf);
			// n8n 2.x "publish": activates the workflow's current version; its webhook goes live
			const published = await apiOk('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
			expect(published.active).toBe(true);
			workflowIds[key] = created.id;
		}
		// n8n 2.40.7 publishes through an outbox (N8N_USE_WORKFLOW_PUBLICATION_SERVICE, on by
		// default): the activate call records the publication and a drain registers the webhooks
		// afterwards, so a webhook is live a moment after the call returns, not when it returns.
		const publishedAt = Date.now();
		const live = async () => (await pg!.query(`SELECT count(*) FROM webhook_entity WHERE "workflowId" IN ('${workflowIds.upload}', '${workflowIds.stop}')`))[0][0] === '2';
		while (!(await live())) {
			if (Date.now() - publishedAt > 60_000) throw new Error(`the published workflows' webhooks were not registered within 60 s\n${main.tail()}`);
			await sleep(100);
		}
		const liveAfter = Date.now() - publishedAt;
		process.stderr.write(
			`[queue] Postgres :${pgPort}, Redis :${redisPort}, n8n main :${mainPort}, 2 workers (concurrency ${WORKER_CONCURRENCY}${ownHostnames ? ', own hostnames' : ''}), ` +
				`emulator :${emulator.port} behind proxy :${proxy.port}; webhooks live ${liveAfter} ms after the last activate call returned; ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
		);
	}, 6 * 60_000);

	afterAll(async () => {
		const stops: Array<Promise<unknown>> = [];
		for (const service of [main, ...workers]) if (service) stops.push(service.stop());
		await Promise.allSettled(stops);
		await Promise.allSettled([redis?.service.stop(), pg?.service.stop()]);
		await proxy?.close().catch(() => {});
		await emulator?.close().catch(() => {});
		work?.remove();
		process.stderr.write(`[queue] suite done in ${((Date.now() - started) / 1000).toFixed(1)} s; everything it started is stopped\n`);
	}, 2 * 60_000);

	test('the main instance and both workers share the queue (Redis) and the database (Postgres)', async () => {
		for (const worker of workers) {
			const ready = jsonLog(worker).map((l) => l.message);
			expect(ready).toContain('\nn8n worker is now ready');
			expect(ready).toContain(` * Concurrency: ${WORKER_CONCURRENCY}`);
		}
		const [[migrations]] = await pg!.query('SELECT count(*) FROM migrations');
		expect(Number(migrations)).toBeGreaterThan(10);
		const published = await pg!.query(`SELECT "workflowId", "webhookPath", method FROM webhook_entity ORDER BY "webhookPath"`);
		expect(published).toEqual([
			[workflowIds.stop, STOP_PATH, 'POST'],
			[workflowIds.upload, UPLOAD_PATH, 'POST'],
		]);
	});

	test(`${FILES} files posted to the webhook, ${PARALLEL} at a time: each stored in DocFlow once, byte for byte, its result in its response`, async () => {
		for (let i = 1; i <= FILES; i++) {
			const bytes = pdfLike(i, 'queue e2e');
			posted.push({ name: `queue-invoice-${String(i).padStart(3, '0')}.pdf`, bytes, sha: sha256(bytes) });
		}
		expect(new Set(posted.map((p) => p.sha)).size).toBe(FILES);

		const t = Date.now();
		answers = await pool(posted, PARALLEL, (file) => postFile(UPLOAD_PATH, file));
		process.stderr.write(
			`[queue] ${FILES} webhook requests (${PARALLEL} at a time) answered in ${((Date.now() - t) / 1000).toFixed(1)} s; ` +
				`slowest ${Math.max(...answers.map((a) => a.ms))} ms\n`,
		);

		// every response: 200 and the extracted result of its own file
		const failed = answers.map((a, i) => ({ a, name: posted[i].name })).filter(({ a }) => a.status !== 200 || !a.body?.result);
		expect(failed.map(({ a, name }) => `${name}: HTTP ${a.status} ${a.text.slice(0, 300)}`)).toEqual([]);
		const tasks = emulator.tasks().filter((task) => task.name.startsWith('queue-invoice-'));
		answers.forEach((answer, i) => {
			const { result } = answer.body;
			expect(result).toMatchObject({ file_name: posted[i].name, status: 'success', format: 'pdf' });
			expect(result.fields['Invoice Number']).toBe(INVOICE_NUMBER);
			const task = tasks.find((x) => x.taskId === result.task_id);
			expect(task).toBeDefined();
			expect(task!.name).toBe(posted[i].name);
			expect(task!.sha256).toBe(posted[i].sha);
		});
		expect(new Set(answers.map((a) => a.body.execution_id)).size).toBe(FILES);

		// DocFlow stored each file exactly once, with the bytes that were posted
		expect(tasks).toHaveLength(FILES);
		for (const file of posted) {
			const stored = tasks.filter((task) => task.name === file.name);
			expect(stored).toHaveLength(1);
			expect(stored[0].sha256).toBe(file.sha);
			expect(stored[0].size).toBe(file.bytes.length);
		}
		// and received each exactly once: one upload part per file, none sent twice
		const parts = uploadsOf(emulator.requests).flatMap((r) => r.parts ?? []).filter((p) => p.name === 'file');
		expect(parts).toHaveLength(FILES);
		for (const file of posted) {
			const sent = parts.filter((p) => p.filename === file.name);
			expect(sent.map((p) => p.sha256)).toEqual([file.sha]);
		}

		// the files went through Postgres (binary data mode "database"): the main instance stored
		// each received file there once, with the bytes that were posted, and the worker read it
		const rows = await pg!.query(
			`SELECT "fileName", "sourceType", "sourceId", encode(sha256(data), 'hex') FROM binary_data WHERE "fileName" LIKE 'queue-invoice-%'`,
		);
		expect(rows.map(([fileName, , , sha]) => [fileName, sha]).sort()).toEqual(posted.map((p) => [p.name, p.sha]).sort());
		// Reported, not asserted: n8n stores a webhook's upload before the execution has an id, under
		// sourceId "temp" (n8n/dist/binary-data/database.manager.js, toSource), and its later fix-up
		// (execution-lifecycle/restore-binary-data-id.js) only renames file ids containing "/temp/",
		// which database mode's bare UUIDs never do: the rows stay under "temp".
		const sources = new Map<string, number>();
		for (const [, sourceType, sourceId] of rows) {
			const key = `${sourceType}:${sourceId === 'temp' ? 'temp' : 'an execution id'}`;
			sources.set(key, (sources.get(key) ?? 0) + 1);
		}
		process.stderr.write(`[queue] binary_data rows of the posted files: ${[...sources].map(([k, n]) => `${n} under ${k}`).join(', ')}\n`);
	}, 5 * 60_000);

	test('the executions ran on the workers, never on the main instance', async () => {
		expect(answers).toHaveLength(FILES);
		const executionIds = answers.map((a) => String(a.body.execution_id)).sort();

		// n8n's execution records (Postgres): one webhook execution per file, all successful
		const rows = await pg!.query(`SELECT id, mode, status, finished FROM execution_entity WHERE "workflowId" = '${workflowIds.upload}' ORDER BY id`);
		expect(rows.map(([id]) => id).sort()).toEqual(executionIds);
		for (const [, mode, status, finished] of rows) expect([mode, status, finished]).toEqual(['webhook', 'success', 't']);
		// (n8n 2.40.7 keeps no worker column; the worker only travels in the queue's job messages)
		const columns = (await pg!.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'execution_entity'`)).map(([c]) => c);
		expect(columns.filter((c) => /worker|host/i.test(c))).toEqual([]);

		// 1. each worker's own log: which executions it started and finished; the main instance's: none
		const ranOn = new Map<string, string[]>();
		for (const worker of workers) {
			const log = jsonLog(worker);
			const startedHere = log.filter((l) => l.message.startsWith('Worker started execution')).map((l) => String(l.metadata.executionId));
			const finishedHere = log.filter((l) => l.message.startsWith('Worker finished execution')).map((l) => String(l.metadata.executionId));
			const ours = startedHere.filter((id) => executionIds.includes(id));
			expect(finishedHere.filter((id) => executionIds.includes(id)).sort()).toEqual([...ours].sort());
			for (const id of ours) ranOn.set(id, [...(ranOn.get(id) ?? []), worker.name]);
		}
		expect([...ranOn.keys()].sort()).toEqual(executionIds);
		for (const [id, on] of ranOn) expect([id, on.length]).toEqual([id, 1]);
		const perWorker = workers.map((w) => [...ranOn.values()].filter((on) => on[0] === w.name).length);
		// 10 requests at a time, 5 executions per worker at most: both must have taken part
		for (const count of perWorker) expect(count).toBeGreaterThan(0);
		const mainLog = jsonLog(main!);
		expect(mainLog.filter((l) => /^Worker (started|finished) execution/.test(l.message))).toEqual([]);

		// 2. the main instance's record of each job's end: the worker that reported it
		const finishedBy = new Map(
			mainLog
				.filter((l) => /^Execution \S+ \(job \S+\) finished$/.test(l.message))
				.map((l) => [String(l.metadata.executionId), String(l.metadata.workerId)]),
		);
		for (const id of executionIds) {
			const workerId = finishedBy.get(id);
			expect(workerId).toMatch(/^worker-/);
			const expected = workerHostnames.get(ranOn.get(id)![0]);
			if (expected) expect(workerId).toBe(expected);
		}

		// 3. the operating system's view: every connection to DocFlow was opened by a worker's n8n
		// process (the client socket's owner in /proc), none by the main instance or anything else
		const connections = proxy.connections.slice();
		const owners = new Map<string, number>();
		for (const c of connections) owners.set(c.owner, (owners.get(c.owner) ?? 0) + 1);
		expect(owners.get('n8n-main') ?? 0).toBe(0);
		expect(owners.get('unknown') ?? 0).toBe(0);
		for (const worker of workers) expect(owners.get(worker.name) ?? 0).toBeGreaterThan(0);
		for (const c of connections) expect(c.cmdline).toMatch(/n8n\/bin\/n8n worker/);
		// the control: the credential's Test button runs on the main instance, and the same lookup
		// names the main instance as the opener of that connection
		const tested = await apiOk('POST', '/rest/credentials/test', {
			credentials: { id: credentialId, ...CREDENTIAL, data: credentialData() },
		});
		expect(tested).toMatchObject({ status: 'OK' });
		const control = proxy.connections.slice(connections.length);
		expect(control.length).toBeGreaterThan(0);
		for (const c of control) expect([c.owner, c.cmdline]).toEqual(['n8n-main', expect.stringMatching(/n8n\/bin\/n8n start/)]);
		process.stderr.write(
			`[queue] executions per worker: ${workers.map((w, i) => `${w.name} ${perWorker[i]}`).join(', ')}; ` +
				`DocFlow connections by process: ${[...owners].map(([o, n]) => `${o} ${n}`).join(', ')}\n`,
		);
	});

	test(`an execution waiting on DocFlow stops within ${STOP_LIMIT_MS / 1000} s when stopped through n8n's REST API`, async () => {
		emulator.setStepMs(3_600_000); // DocFlow keeps working on it: Wait for Completion keeps polling
		try {
			const file: Posted = { name: 'queue-stop-me.pdf', bytes: pdfLike(9999, 'queue e2e'), sha: '' };
			file.sha = sha256(file.bytes);
			const before = emulator.requests.length;
			let webhookAnswer: (Answer & { at: number }) | { error: string; at: number } | undefined;
			const pending = postFile(STOP_PATH, file).then(
				(a) => (webhookAnswer = { ...a, at: Date.now() }),
				(e) => (webhookAnswer = { error: String(e), at: Date.now() }),
			);

			// wait until the node has uploaded the file and is polling DocFlow
			const ours = () => emulator.requests.slice(before);
			const deadline = Date.now() + 60_000;
			while (Date.now() < deadline) {
				const uploaded = uploadsOf(ours()).some((r) => r.parts?.some((p) => p.filename === file.name));
				if (uploaded && ours().filter((r) => r.path.endsWith('/file/fetch')).length >= 3) break;
				await sleep(100);
			}
			expect(uploadsOf(ours()).flatMap((r) => r.parts ?? []).map((p) => [p.filename, p.sha256])).toEqual([[file.name, file.sha]]);

			// find it the way a user would: the running executions of the workflow
			const filter = encodeURIComponent(JSON.stringify({ status: ['running'], workflowId: workflowIds.stop }));
			const list = await apiOk('GET', `/rest/executions?filter=${filter}`);
			expect(list.results).toHaveLength(1);
			const executionId = String(list.results[0].id);
			expect(list.results[0]).toMatchObject({ status: 'running', mode: 'webhook' });

			// the queue job a worker is running for it
			const activeJobs = (await redis!.cli('LRANGE', 'bull:jobs:active', '0', '-1')).split('\n').filter(Boolean);
			let jobId = '';
			for (const id of activeJobs) {
				const data = JSON.parse((await redis!.cli('HGET', `bull:jobs:${id}`, 'data')) || '{}');
				if (String(data.executionId) === executionId) jobId = id;
			}
			expect(jobId).not.toBe('');
			const worker = workers.find((w) => jsonLog(w).some((l) => l.message.startsWith('Worker started execution') && String(l.metadata.executionId) === executionId));
			expect(worker).toBeDefined();

			const t0 = Date.now();
			const stopped = await api('POST', `/rest/executions/${executionId}/stop`);
			const tAnswered = Date.now();
			expect(stopped.status).toBe(200);

			// watch n8n's record of the execution and the worker's queue job
			let tCanceled: number | undefined;
			let tJobDone: number | undefined;
			while (Date.now() - t0 < 10_000 && (tCanceled === undefined || tJobDone === undefined)) {
				if (tCanceled === undefined) {
					const one = await apiOk('GET', `/rest/executions/${executionId}`);
					if (one.status === 'canceled') tCanceled = Date.now();
				}
				if (tJobDone === undefined) {
					const active = (await redis!.cli('LRANGE', 'bull:jobs:active', '0', '-1')).split('\n');
					if (!active.includes(jobId)) tJobDone = Date.now();
				}
				await sleep(25);
			}
			// the worker's own timestamp of the moment its execution gave up (the node returned)
			const workerEnd = jsonLog(worker!).find(
				(l) => /^Worker errored while running execution/.test(l.message) && String(l.metadata.executionId) === executionId,
			);
			const tWorkerEnd = workerEnd ? Date.parse(workerEnd.metadata.timestamp) : undefined;

			// nothing more reaches DocFlow: wait 12 poll intervals and look
			await sleep(3000);
			let giveUp: NodeJS.Timeout | undefined;
			await Promise.race([pending, new Promise((resolve) => (giveUp = setTimeout(resolve, 10_000)))]);
			clearTimeout(giveUp);
			const after = (t: number) => ours().filter((r) => r.receivedAt > t);
			const lastRequest = Math.max(...ours().map((r) => r.receivedAt));
			const jobState = (await redis!.cli('ZSCORE', 'bull:jobs:failed', jobId)).trim() !== '' ? 'failed' : (await redis!.cli('ZSCORE', 'bull:jobs:completed', jobId)).trim() !== '' ? 'completed' : 'gone';
			const final = await apiOk('GET', `/rest/executions/${executionId}`);
			const ms = (t: number | undefined) => (t === undefined ? 'never' : `${t - t0} ms`);
			process.stderr.write(
				`[queue] stop of execution ${executionId} (job ${jobId} on ${worker!.name}): REST answered after ${ms(tAnswered)}, ` +
					`status "canceled" after ${ms(tCanceled)}, queue job no longer active after ${ms(tJobDone)} (then ${jobState}), ` +
					`worker logged the end after ${ms(tWorkerEnd)}; last DocFlow request ${lastRequest - t0} ms after the stop, ` +
					`requests after the stop: ${after(t0).length}; webhook caller got ${webhookAnswer && 'status' in webhookAnswer ? `HTTP ${webhookAnswer.status} after ${webhookAnswer.at - t0} ms` : JSON.stringify(webhookAnswer)}; ` +
					`final status ${final.status}\n`,
			);

			expect(tCanceled).toBeDefined();
			expect(tCanceled! - t0).toBeLessThanOrEqual(STOP_LIMIT_MS);
			// the worker's execution itself ended (the node honoured the signal), not only n8n's record
			expect(tJobDone).toBeDefined();
			expect(tJobDone! - t0).toBeLessThanOrEqual(STOP_LIMIT_MS);
			expect(tWorkerEnd).toBeDefined();
			expect(tWorkerEnd! - t0).toBeLessThanOrEqual(STOP_LIMIT_MS);
			expect(after(tWorkerEnd!)).toEqual([]);
			expect(after(t0 + STOP_LIMIT_MS)).toEqual([]);
			expect(final.status).toBe('canceled');
		} finally {
			emulator.setStepMs(50);
		}
	}, 3 * 60_000);
});
