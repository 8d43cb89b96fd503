/**
 * `npm run bench -- --queue` (bash scripts/e2e-queue.sh --bench): the node in n8n 2.40.7's queue
 * mode, set up as the queue suite sets it up (test/e2e-queue: main instance taking webhooks, 2
 * workers with concurrency 5, Redis, Postgres, binary data in the database), against the DocFlow
 * emulator in this process. Files are posted to a webhook workflow (Webhook → DocFlow Upload,
 * waiting for the results → Respond to Webhook), 10 at a time, first 50, then 500.
 *
 * Measured: wall time until every webhook call answered, and the requests DocFlow received:
 * uploads, and file/fetch requests while waiting, per batch (each execution's one file goes into
 * a batch of its own). Target: polls per batch do not grow with the number of files.
 *
 * Writes its section of bench/RESULTS.md (between the queue-bench markers; `npm run bench` keeps it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';

import { startDocflowEmulator } from '../test/emulator/index.ts';
import type { DocflowEmulator } from '../test/emulator/index.ts';
import { n8nSh, runOk } from '../test/e2e/n8n.ts';
import type { Workflow, WorkflowNode } from '../test/e2e/n8n.ts';
import { WORKSPACE_ID, connect, docflow } from '../test/e2e/workflows.ts';
import type { Scenario } from '../test/e2e/workflows.ts';
import {
	Postgres,
	Redis,
	VERSION,
	Work,
	freePorts,
	pdfLike,
	pool,
	sleep,
	startN8n,
	waitHealthy,
} from '../test/e2e-queue/services.ts';
import type { Service } from '../test/e2e-queue/services.ts';
import { QUEUE_SECTION, writeSection } from './resultsFile.ts';

const RUNS = (process.env.BENCH_QUEUE_FILES ?? '50,500').split(',').map(Number);
const PARALLEL = 10;
const WORKER_CONCURRENCY = 5;
const STEP_MS = 50;
const PATH = 'docflow-queue-bench';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface RunFigures {
	files: number;
	wallMs: number;
	uploads: number;
	fetches: number;
	batches: number;
	pollsPerBatch: { min: number; median: number; max: number; mean: number };
	failed: number;
}

async function main() {
	const started = Date.now();
	const work = Work.create();
	let emulator: DocflowEmulator | undefined;
	let pg: Postgres | undefined;
	let redis: Redis | undefined;
	const services: Service[] = [];
	try {
		const installed = await n8nSh(['install', VERSION], { liveStderr: true });
		if (installed.code !== 0) throw new Error(`installing n8n ${VERSION} failed`);
		const packDir = work.path('pack');
		mkdirSync(packDir, { recursive: true });
		const tgz = (await runOk(['pack', packDir])).stdout.trim().split('\n').pop()!;

		const [pgPort, redisPort, mainPort, mainBroker, w1Health, w1Broker, w2Health, w2Broker] = await freePorts(8);
		emulator = await startDocflowEmulator({ stepMs: STEP_MS });
		[pg, redis] = await Promise.all([Postgres.start(work, pgPort), Redis.start(work, redisPort)]);
		const folders = { main: work.path('n8n-main'), w1: work.path('n8n-worker-1'), w2: work.path('n8n-worker-2') };
		await Promise.all(Object.values(folders).map((dir) => runOk(['setup', VERSION, dir, tgz])));
		const common: NodeJS.ProcessEnv = {
			EXECUTIONS_MODE: 'queue',
			...redis.env(),
			...pg.env(),
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_ENCRYPTION_KEY: `docflow-queue-bench-${randomBytes(12).toString('hex')}`,
			N8N_LOG_LEVEL: 'warn',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		};
		const main = startN8n({
			work,
			name: 'n8n-main',
			userFolder: folders.main,
			command: 'start',
			env: { ...common, N8N_PORT: String(mainPort), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost', N8N_EDITOR_BASE_URL: `http://localhost:${mainPort}`, N8N_RUNNERS_BROKER_PORT: String(mainBroker) },
		});
		services.push(main);
		await waitHealthy(main, mainPort);
		const workerPorts = [
			[w1Health, w1Broker, folders.w1],
			[w2Health, w2Broker, folders.w2],
		] as const;
		for (const [i, [health, broker, folder]] of workerPorts.entries()) {
			services.push(
				startN8n({
					work,
					name: `n8n-worker-${i + 1}`,
					userFolder: folder,
					command: 'worker',
					args: [`--concurrency=${WORKER_CONCURRENCY}`],
					env: { ...common, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(health), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(broker) },
				}),
			);
		}
		await Promise.all(services.slice(1).map((worker, i) => waitHealthy(worker, workerPorts[i][0])));

		const base = `http://127.0.0.1:${mainPort}`;
		const owner = await n8nSh(['owner-setup', String(mainPort), 'owner@example.com', 'Queue-bench-pass-1']);
		if (owner.code !== 0) throw new Error(`owner setup failed: ${owner.stderr}`);
		const cookie = owner.stdout.trim();
		const api = async (method: string, path: string, body?: unknown) => {
			const res = await fetch(`${base}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
			const text = await res.text();
			if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
			const json = JSON.parse(text);
			return json.data ?? json;
		};
		const credential = await api('POST', '/rest/credentials', {
			name: 'DocFlow (emulator)',
			type: 'docFlowApi',
			data: { appId: 'demo-app-id', secretCode: 'demo-secret-code', region: 'private', baseUrl: emulator.url, enterpriseId: '1001', authentication: 'simple' },
		});
		const scenario = { credentialId: credential.id, credentialName: 'DocFlow (emulator)' } as Scenario;
		const nodes: WorkflowNode[] = [
			{ id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], parameters: { httpMethod: 'POST', path: PATH, responseMode: 'responseNode', options: {} }, webhookId: randomUUID() } as WorkflowNode,
			docflow('DocFlow', scenario, { operation: 'upload', workspace: { __rl: true, mode: 'id', value: WORKSPACE_ID }, waitForCompletion: true, options: {} }, { typeVersion: 1.2 }),
			{ id: randomUUID(), name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.5, position: [440, 0], parameters: { respondWith: 'json', responseBody: '={{ { result: $json } }}', options: {} } },
		];
		nodes.forEach((node, i) => (node.position = [i * 220, 0]));
		const workflow: Partial<Workflow> = { name: 'queue bench: upload', nodes, connections: connect(['Webhook', 'DocFlow', 'Respond']), settings: { executionOrder: 'v1' } };
		const created = await api('POST', '/rest/workflows', workflow);
		await api('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		const publishedAt = Date.now();
		while ((await pg.query(`SELECT count(*) FROM webhook_entity WHERE "workflowId" = '${created.id}'`))[0][0] !== '1') {
			if (Date.now() - publishedAt > 60_000) throw new Error('the webhook was not registered within 60 s');
			await sleep(100);
		}
		process.stderr.write(`[queue-bench] n8n ${VERSION} main + 2 workers ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

		const figures: RunFigures[] = [];
		let fileIndex = 0;
		for (const count of RUNS) {
			const files = Array.from({ length: count }, () => {
				fileIndex += 1;
				return { name: `bench-${String(fileIndex).padStart(4, '0')}.pdf`, bytes: pdfLike(fileIndex, 'queue bench') };
			});
			emulator.clearRequests();
			const t0 = performance.now();
			const answers = await pool(files, PARALLEL, async (file) => {
				const form = new FormData();
				form.append('data', new Blob([new Uint8Array(file.bytes)], { type: 'application/pdf' }), file.name);
				const res = await fetch(`${base}/webhook/${PATH}`, { method: 'POST', body: form });
				const body = (await res.json().catch(() => undefined)) as { result?: { status?: string; file_name?: string } } | undefined;
				return res.status === 200 && body?.result?.status === 'success' && body.result.file_name === file.name;
			});
			const wallMs = performance.now() - t0;
			const requests = emulator.requests.slice();
			const fetches = requests.filter((r) => r.path.endsWith('/file/fetch'));
			const perBatch = new Map<string, number>();
			for (const r of requests.filter((x) => x.path.endsWith('/file/upload'))) perBatch.set(r.query.batch_number, perBatch.get(r.query.batch_number) ?? 0);
			for (const r of fetches) perBatch.set(r.query.batch_number, (perBatch.get(r.query.batch_number) ?? 0) + 1);
			const polls = [...perBatch.values()];
			figures.push({
				files: count,
				wallMs,
				uploads: requests.filter((r) => r.path.endsWith('/file/upload')).length,
				fetches: fetches.length,
				batches: perBatch.size,
				pollsPerBatch: { min: Math.min(...polls), median: median(polls), max: Math.max(...polls), mean: polls.reduce((a, b) => a + b, 0) / polls.length },
				failed: answers.filter((ok) => !ok).length,
			});
			process.stderr.write(`[queue-bench] ${count} files: ${(wallMs / 1000).toFixed(1)} s, ${fetches.length} file/fetch for ${perBatch.size} batches, ${answers.filter((ok) => !ok).length} failed\n`);
		}
		writeQueueSection(figures);
	} finally {
		await Promise.allSettled(services.map((s) => s.stop()));
		await Promise.allSettled([redis?.service.stop(), pg?.service.stop()]);
		await emulator?.close().catch(() => {});
		work.remove();
	}
}

function writeQueueSection(figures: RunFigures[]) {
	const means = figures.map((f) => f.pollsPerBatch.mean);
	const independent = Math.max(...means) - Math.min(...means) <= 0.25 && figures.every((f) => f.pollsPerBatch.max <= 3);
	const section = writeSection(QUEUE_SECTION, [
		'## (g) Queue mode: files through the webhook, main + 2 workers',
		'',
		`Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- --queue\` (bench/queue.ts, the queue suite's machinery): n8n ${VERSION} in queue mode, main instance taking the webhooks, 2 workers (concurrency ${WORKER_CONCURRENCY} each), Redis, Postgres, binary data in the database; the emulator answers in this process (${STEP_MS} ms per processing step). Webhook (one file per call) → DocFlow Upload (node version 1.2, Wait for Completion by polling) → Respond to Webhook; ${PARALLEL} calls at a time. Each execution has one item, so each file has a batch of its own.`,
		'',
		'| Files | Wall time (all webhook calls answered) | upload requests | file/fetch requests while waiting | batches | polls per batch (min / median / max, mean) | calls without their own result |',
		'|---|---|---|---|---|---|---|',
		...figures.map(
			(f) =>
				`| ${f.files} | ${(f.wallMs / 1000).toFixed(1)} s (${(f.wallMs / f.files).toFixed(0)} ms per file) | ${f.uploads} | ${f.fetches} | ${f.batches} | ${f.pollsPerBatch.min} / ${f.pollsPerBatch.median} / ${f.pollsPerBatch.max}, ${f.pollsPerBatch.mean.toFixed(2)} | ${f.failed} |`,
		),
		'',
		`Polls per batch independent of the file count (means within 0.25 of each other, none above 3): ${independent ? '**met**' : '**missed**'}.`,
	]);
	process.stdout.write(`${section}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
