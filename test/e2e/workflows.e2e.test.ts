/**
 * The packed package inside real n8n, for each n8n version under test: installed as a
 * community package, a DocFlow credential imported with `n8n import:credentials`, the
 * workflows imported with `n8n import:workflow` and run with `n8n execute-batch` (n8n's
 * `execute` for several workflows in one process). Every scenario is checked twice: what
 * the workflow output, and what DocFlow (the emulator, in this process) received.
 *
 * Each n8n runs with its default binary data mode, so both of the node's file paths are
 * covered: n8n 2.x keeps files on disk ("filesystem-v2": the node streams them), n8n 1.x in
 * memory (the node sends the buffer). N8N_DEFAULT_BINARY_DATA_MODE=filesystem in the
 * environment runs 1.x on disk too.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_FAILURE_CAUSE, startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator, StoredTask } from '../emulator/index.ts';
import { seedUpload, sha256 } from '../harness/fixtures.ts';
import { N8nFolder, SAMPLES, output, packPackage, pairedIndex, versionsUnderTest } from './n8n.ts';
import type { BatchResult, RunItem, Workflow } from './n8n.ts';
import {
	EXAMPLE_FILES,
	OTHER_WORKSPACE_ID,
	SCENARIOS,
	WORKSPACE_ID,
	connect,
	docflow,
	emulatorCredentials,
	endSuite,
	exampleForRun,
	expectAllFinished,
	expectExamplesValid,
	loadExample,
	manualTrigger,
	n8nCredentials,
	noOp,
	nodeNamed,
	readFiles,
	requestsOf,
	rows,
	runOf,
	setFields,
	workflow,
} from './workflows.ts';

const SAMPLE_FILES = ['simple.pdf', 'split_example.pdf', 'crop_example.jpg'];
const INVOICE_NUMBER = '28737000';
const BIG_BYTES = 40 * 1024 * 1024 + 7;
/** A workspace the emulator does not know: DocFlow answers 40004 “工作空间不存在”. */
const UNKNOWN_WORKSPACE_ID = '404404';
const ERR_UPLOAD_FILES = { goodPdf: 'eo-good.pdf', goodJpg: 'eo-good.jpg', empty: 'eo-empty.pdf', fails: 'eo-will-fail.pdf', nowhere: 'eo-nowhere.pdf' };
const FILE_URLS = ['https://files.example.com/in/invoice-2024-07.pdf', 'https://files.example.com/in/receipt-taxi.jpg'];

function tasksNamed(emulator: DocflowEmulator, names: string[]): StoredTask[] {
	return emulator.tasks().filter((t) => names.includes(t.name) && !t.parentTaskId);
}

describe.each(versionsUnderTest())('n8n %s', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let batch: BatchResult;
	let work: string;
	const seeded: {
		fetchBatch?: string;
		fetchNames: string[];
		retryTask?: string;
		dailyFailTask?: string;
		dailyOkTask?: string;
		errFetchA?: { batch_number: string; files: Array<{ task_id: string; name: string }> };
		errFetchB?: { batch_number: string; files: Array<{ task_id: string; name: string }> };
		errRetryTasks: string[];
	} = {
		fetchNames: ['receipt-2024-03.pdf', 'contract-acme.pdf'],
		errRetryTasks: [],
	};
	const dirs = { failures: '', exampleIn: '', exampleOut: '', big: '', errors: '' };
	let bigSha = '';
	const workflows: Workflow[] = [];

	beforeAll(async () => {
		emulator = await startDocflowEmulator({ credentials: emulatorCredentials(), stepMs: 150 });
		work = mkdtempSync(join(tmpdir(), `docflow-e2e-files-${version}-`));
		dirs.failures = join(work, 'failures');
		dirs.exampleIn = join(work, 'inbox');
		dirs.exampleOut = join(work, 'results');
		dirs.big = join(work, 'big');
		dirs.errors = join(work, 'errors');
		for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
		copyFileSync(join(SAMPLES, 'simple.pdf'), join(dirs.failures, 'good.pdf'));
		copyFileSync(join(SAMPLES, 'split_example.pdf'), join(dirs.failures, 'invoice-fail.pdf'));
		writeFileSync(join(dirs.failures, 'empty.pdf'), Buffer.alloc(0));
		copyFileSync(join(SAMPLES, 'simple.pdf'), join(dirs.errors, ERR_UPLOAD_FILES.goodPdf));
		copyFileSync(join(SAMPLES, 'crop_example.jpg'), join(dirs.errors, ERR_UPLOAD_FILES.goodJpg));
		writeFileSync(join(dirs.errors, ERR_UPLOAD_FILES.empty), Buffer.alloc(0));
		copyFileSync(join(SAMPLES, 'simple.pdf'), join(dirs.errors, ERR_UPLOAD_FILES.fails));
		copyFileSync(join(SAMPLES, 'split_example.pdf'), join(dirs.errors, ERR_UPLOAD_FILES.nowhere));
		copyFileSync(join(SAMPLES, 'simple.pdf'), join(dirs.exampleIn, 'simple.pdf'));
		copyFileSync(join(SAMPLES, 'split_example.pdf'), join(dirs.exampleIn, 'split_example.pdf'));
		// 40 MiB: many stream chunks, and a body n8n must not need to hold at once
		const head = readFileSync(join(SAMPLES, 'simple.pdf'));
		const bigFile = Buffer.concat([head, randomBytes(BIG_BYTES - head.length)]);
		writeFileSync(join(dirs.big, 'big-scan.pdf'), bigFile);
		bigSha = sha256(bigFile);

		// What DocFlow already has before the workflows run (put there over its HTTP API).
		const fetchSeed = await seedUpload(emulator, seeded.fetchNames);
		seeded.fetchBatch = fetchSeed.batch_number;
		seeded.retryTask = (await seedUpload(emulator, ['invoice-fail-seeded.pdf'])).files[0].task_id;
		const daily = await seedUpload(emulator, ['daily-fail.pdf', 'daily-ok.pdf'], { workspace_id: OTHER_WORKSPACE_ID });
		seeded.dailyFailTask = daily.files[0].task_id;
		seeded.dailyOkTask = daily.files[1].task_id;
		seeded.errFetchA = await seedUpload(emulator, ['eo-fetch-a1.pdf', 'eo-fetch-a2.pdf']);
		seeded.errFetchB = await seedUpload(emulator, ['eo-fetch-b.pdf']);
		// “fail” in the name: the emulator fails the first attempt, so both end up failed (retryable)
		seeded.errRetryTasks = (await seedUpload(emulator, ['eo-retry-fail-1.pdf', 'eo-retry-fail-2.pdf'])).files.map((f) => f.task_id);
		emulator.finishAll();

		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [SAMPLES, work]);
		await folder.importCredentials(n8nCredentials(emulator.url));

		const { upload, fetch, retry, failures, signature, big, urls, split, exFolder, exRetry, exEmail, errUpload, errFetch, errRetry } =
			SCENARIOS;
		const toErrorOutput = { onError: 'continueErrorOutput' } as const;
		workflows.push(
			// (a) Read/Write Files from Disk → DocFlow Upload (wait + simplify, the 1.1 defaults) → Set
			workflow(
				upload,
				'read files, upload, pick a field',
				[
					manualTrigger(),
					readFiles('Read samples', `${SAMPLES}/*.{pdf,jpg}`),
					docflow('DocFlow', upload, { operation: 'upload' }),
					setFields('Pick', {
						invoice_number: "={{ $json.fields['Invoice Number'] }}",
						file: '={{ $json.file_name }}',
						category: '={{ $json.category }}',
					}),
				],
				connect(['Start', 'Read samples', 'DocFlow', 'Pick']),
			),
			// (b) Fetch Batch by batch number, simplified and raw
			workflow(
				fetch,
				'fetch batch',
				[
					manualTrigger(),
					docflow('Fetch simplified', fetch, { operation: 'fetchBatch', lookUpBy: 'batchNumber', batchNumber: seeded.fetchBatch }),
					docflow('Fetch raw', fetch, {
						operation: 'fetchBatch',
						lookUpBy: 'batchNumber',
						batchNumber: seeded.fetchBatch,
						simplify: false,
						options: { includeDocumentText: true },
					}),
				],
				connect(['Start', 'Fetch simplified'], ['Start', 'Fetch raw']),
			),
			// (c) Retry a task that failed, and wait for the new result
			workflow(
				retry,
				'retry a failed task',
				[manualTrigger(), docflow('Retry', retry, { operation: 'retry', taskId: seeded.retryTask, waitForCompletion: true })],
				connect(['Start', 'Retry']),
			),
			// (d) a file DocFlow fails, an empty file, an item without a file; Continue On Fail
			workflow(
				failures,
				'failures with continue on fail',
				[
					manualTrigger(),
					readFiles('Read mixed', `${dirs.failures}/*.pdf`),
					docflow('DocFlow', failures, { operation: 'upload' }, { onError: 'continueRegularOutput' }),
					docflow('No file', failures, { operation: 'upload' }, { onError: 'continueRegularOutput' }),
				],
				connect(['Start', 'Read mixed', 'DocFlow'], ['Start', 'No file']),
			),
			// (e) Signature authentication: a multipart upload, the polls, and a JSON retry
			workflow(
				signature,
				'signature authentication',
				[
					manualTrigger(),
					readFiles('Read one', `${SAMPLES}/simple.pdf`),
					docflow('Upload', signature, { operation: 'upload' }),
					docflow('Retry', signature, { operation: 'retry', taskId: '={{ $json.task_id }}', waitForCompletion: false }),
				],
				connect(['Start', 'Read one', 'Upload', 'Retry']),
			),
			// (f) a 40 MiB file, signed: the body hash and the upload both stream it
			workflow(
				big,
				'large file, signed',
				[manualTrigger(), readFiles('Read big', `${dirs.big}/big-scan.pdf`), docflow('DocFlow', big, { operation: 'upload' })],
				connect(['Start', 'Read big', 'DocFlow']),
			),
			// (g) Input “File URLs”: DocFlow fetches the documents itself
			workflow(
				urls,
				'file URLs',
				[
					manualTrigger(),
					docflow('DocFlow', urls, { operation: 'upload', inputType: 'url', fileUrls: FILE_URLS.join('\n') }),
				],
				connect(['Start', 'DocFlow']),
			),
			// (h) Split Files and Crop Multiple Images: parents come out followed by their parts
			workflow(
				split,
				'split and crop',
				[
					manualTrigger(),
					readFiles('Read split', `${SAMPLES}/split_example.pdf`),
					docflow('Split', split, { operation: 'upload', options: { splitFiles: true } }),
					readFiles('Read crop', `${SAMPLES}/crop_example.jpg`),
					docflow('Crop', split, { operation: 'upload', options: { cropMultipleImages: true } }),
				],
				connect(['Start', 'Read split', 'Split'], ['Start', 'Read crop', 'Crop']),
			),
			// (i)–(k) On Error “Continue (using error output)”: the DocFlow node's success output
			// ends in “Succeeded”, its error output in “Failed”.
			// (i) Upload: two good files, an empty one (refused before any request), one DocFlow fails
			// to read, and one sent to a workspace DocFlow does not know
			workflow(
				errUpload,
				'error output: upload',
				[
					manualTrigger(),
					readFiles('Read mixed', `${dirs.errors}/*.{pdf,jpg}`),
					docflow(
						'Upload',
						errUpload,
						{
							operation: 'upload',
							workspace: {
								__rl: true,
								mode: 'id',
								value: `={{ $json.fileName === '${ERR_UPLOAD_FILES.nowhere}' ? '${UNKNOWN_WORKSPACE_ID}' : '${WORKSPACE_ID}' }}`,
							},
						},
						toErrorOutput,
					),
					noOp('Succeeded'),
					noOp('Failed'),
				],
				connect(['Start', 'Read mixed', 'Upload', 'Succeeded'], [['Upload', 1], 'Failed']),
			),
			// (j) Fetch Batch: two batches DocFlow has (two files, one file), one look-up in an unknown workspace
			workflow(
				errFetch,
				'error output: fetch batch',
				[
					manualTrigger(),
					...rows('Look-ups', [
						{ label: 'batch a', ws: WORKSPACE_ID, batch: seeded.errFetchA!.batch_number },
						{ label: 'unknown workspace', ws: UNKNOWN_WORKSPACE_ID, batch: seeded.errFetchA!.batch_number },
						{ label: 'batch b', ws: WORKSPACE_ID, batch: seeded.errFetchB!.batch_number },
					]),
					docflow(
						'Fetch',
						errFetch,
						{
							operation: 'fetchBatch',
							lookUpBy: 'batchNumber',
							workspace: { __rl: true, mode: 'id', value: '={{ $json.ws }}' },
							batchNumber: '={{ $json.batch }}',
						},
						toErrorOutput,
					),
					noOp('Succeeded'),
					noOp('Failed'),
				],
				connect(['Start', 'Look-ups rows', 'Look-ups', 'Fetch', 'Succeeded'], [['Fetch', 1], 'Failed']),
			),
			// (k) Retry (waiting for the new results): two failed tasks, one task ID DocFlow does not have
			workflow(
				errRetry,
				'error output: retry',
				[
					manualTrigger(),
					...rows('Tasks', [
						{ label: 'failed 1', task: seeded.errRetryTasks[0] },
						{ label: 'missing', task: '404' },
						{ label: 'failed 2', task: seeded.errRetryTasks[1] },
					]),
					docflow('Retry', errRetry, { operation: 'retry', taskId: '={{ $json.task }}', waitForCompletion: true }, toErrorOutput),
					noOp('Succeeded'),
					noOp('Failed'),
				],
				connect(['Start', 'Tasks rows', 'Tasks', 'Retry', 'Succeeded'], [['Retry', 1], 'Failed']),
			),
			// examples/, run against the emulator (their folder and workspace pointed at the test's)
			exampleForRun('folder-to-json.json', exFolder, (wf) => {
				const settings = nodeNamed(wf, 'Settings').parameters as { assignments: { assignments: Array<{ name: string; value: string }> } };
				for (const a of settings.assignments.assignments) {
					a.value = a.name === 'inputFolder' ? dirs.exampleIn : dirs.exampleOut;
				}
			}),
			exampleForRun('retry-failed-daily.json', exRetry, (wf) => {
				for (const node of wf.nodes.filter((n) => n.type === 'n8n-nodes-docflow.docFlow')) {
					node.parameters.workspace = { __rl: true, mode: 'id', value: OTHER_WORKSPACE_ID };
				}
			}),
			// the email example without the outside services: its IMAP trigger becomes a Manual
			// Trigger and a file read into `attachment_0` (what the IMAP node outputs), its Google
			// Sheets node a No Op of the same name; DocFlow, the IF and the Set run as shipped
			exampleForRun('email-to-google-sheets.json', exEmail, (wf) => {
				const imap = nodeNamed(wf, 'New email');
				Object.assign(imap, readFiles('New email', `${SAMPLES}/simple.pdf`, 'attachment_0'), { id: imap.id, position: imap.position });
				delete imap.credentials;
				wf.nodes.push(manualTrigger('Mail arrives'));
				wf.connections['Mail arrives'] = { main: [[{ node: 'New email', type: 'main', index: 0 }]] };
				const sheets = nodeNamed(wf, 'Append to Google Sheets');
				Object.assign(sheets, { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
				delete sheets.credentials;
			}),
		);
		// the examples exactly as shipped are imported too (not run: they need outside services
		// or a manual edit of their folder)
		await folder.importWorkflows([...workflows, ...EXAMPLE_FILES.map(loadExample)]);

		batch = await folder.executeBatch(workflows.map((w) => w.id));
	}, 15 * 60_000);

	afterAll(async () => await endSuite(version, emulator, folder, work));

	test('every workflow finished', () => {
		expectAllFinished(batch, workflows.map((w) => w.id));
	});

	test('(a) Read/Write Files → Upload (wait, simplify) → Set: results per file, bytes intact', () => {
		const s = SCENARIOS.upload;
		const r = runOf(batch, s);
		const read = output(r, 'Read samples');
		expect(read.map((i) => i.binary?.data?.fileName).sort()).toEqual([...SAMPLE_FILES].sort());

		const results = output(r, 'DocFlow');
		expect(results).toHaveLength(3);
		for (const item of results) {
			const source = read[pairedIndex(item)!];
			expect(item.json).toMatchObject({
				file_name: source.binary!.data.fileName,
				status: 'success',
				status_code: 1,
			});
			expect(item.json.fields['Invoice Number']).toBe(INVOICE_NUMBER);
			expect(item.json.task_id).toMatch(/^\d{19}$/);
		}
		expect(new Set(results.map((i) => i.json.batch_number)).size).toBe(1);
		expect(
			output(r, 'Pick')
				.map((i) => i.json)
				.sort((a, b) => String(a.file).localeCompare(String(b.file))),
		).toEqual(
			[...SAMPLE_FILES].sort().map((file) => ({ file, invoice_number: INVOICE_NUMBER, category: expect.any(String) })),
		);

		// DocFlow side: one multipart request per item, the exact bytes, simple auth
		const uploads = requestsOf(emulator, s, 'file/upload');
		expect(uploads).toHaveLength(3);
		for (const req of uploads) {
			expect(req.method).toBe('POST');
			expect(req.auth).toMatchObject({ mode: 'simple', valid: true, secretHeader: true });
			expect(req.query.workspace_id).toBe(WORKSPACE_ID);
			expect(req.query.batch_number).toBe(results[0].json.batch_number);
			expect(req.headers['x-ti-enterprise-id']).toBe('1001');
			expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
			// the body's length is announced up front (no chunked upload), and it is what arrived
			expect(req.headers['content-length']).toBe(String(req.bodyLength));
			expect(req.headers['transfer-encoding']).toBeUndefined();
			expect(req.status).toBe(200);
			expect(req.code).toBe(200);
			expect(req.parts).toHaveLength(1);
			const part = req.parts![0];
			expect(part.name).toBe('file');
			expect(SAMPLE_FILES).toContain(part.filename);
			expect(part.sha256).toBe(sha256(readFileSync(join(SAMPLES, part.filename!))));
			expect(part.contentType).toBe(part.filename!.endsWith('.jpg') ? 'image/jpeg' : 'application/pdf');
		}
		expect(uploads.map((u) => u.parts![0].filename).sort()).toEqual([...SAMPLE_FILES].sort());
		// waiting polls the batch, not each file
		const polls = requestsOf(emulator, s, 'file/fetch');
		expect(polls.length).toBeGreaterThanOrEqual(1);
		expect(polls.length).toBeLessThanOrEqual(10);
		for (const poll of polls) expect(poll.query.batch_number).toBe(results[0].json.batch_number);
		const tasks = tasksNamed(emulator, SAMPLE_FILES).filter((t) => t.batchNumber === results[0].json.batch_number);
		expect(tasks).toHaveLength(3);
		for (const t of tasks) expect(t.recognitionStatus).toBe(1);
	});

	test('(b) Fetch Batch by batch number: simplified and raw', () => {
		const s = SCENARIOS.fetch;
		const r = runOf(batch, s);
		const simplified = output(r, 'Fetch simplified').map((i) => i.json);
		expect(simplified.map((j) => j.file_name).sort()).toEqual([...seeded.fetchNames].sort());
		for (const j of simplified) {
			expect(j).toMatchObject({ batch_number: seeded.fetchBatch, status: 'success', status_code: 1 });
			expect(Object.keys(j.fields).length).toBeGreaterThan(0);
		}
		expect(simplified.find((j) => j.file_name.startsWith('receipt'))?.category).toBe('receipt');
		expect(simplified.find((j) => j.file_name.startsWith('contract'))?.category).toBe('contract');

		const raw = output(r, 'Fetch raw').map((i) => i.json);
		expect(raw).toHaveLength(2);
		for (const j of raw) {
			expect(j).toMatchObject({ batch_number: seeded.fetchBatch, recognition_status: 1 });
			expect(Array.isArray(j.data.fields)).toBe(true);
			expect(j.document).toBeDefined();
		}

		const fetches = requestsOf(emulator, s, 'file/fetch');
		expect(fetches.length).toBeGreaterThanOrEqual(2);
		for (const f of fetches) {
			expect(f.method).toBe('GET');
			expect(f.query).toMatchObject({ workspace_id: WORKSPACE_ID, batch_number: seeded.fetchBatch });
			expect(f.auth).toMatchObject({ mode: 'simple', valid: true });
		}
		expect(fetches.some((f) => f.query.with_document === 'true')).toBe(true);
		expect(requestsOf(emulator, s).filter((q) => q.method !== 'GET')).toEqual([]);
	});

	test('(c) Retry a failed task: DocFlow runs it again, the node waits for the new result', () => {
		const s = SCENARIOS.retry;
		const r = runOf(batch, s);
		const out = output(r, 'Retry').map((i) => i.json);
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({ task_id: seeded.retryTask, file_name: 'invoice-fail-seeded.pdf', status: 'success' });
		expect(out[0].fields['Invoice Number']).toBe(INVOICE_NUMBER);

		const retries = requestsOf(emulator, s, 'file/retry');
		expect(retries).toHaveLength(1);
		expect(retries[0].method).toBe('POST');
		expect(retries[0].headers['content-type']).toMatch(/^application\/json/);
		expect(retries[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_id: seeded.retryTask });
		expect(retries[0].code).toBe(200);
		const task = emulator.tasks().find((t) => t.taskId === seeded.retryTask)!;
		expect(task.attempts).toBe(2);
		expect(task.recognitionStatus).toBe(1);
	});

	test('(d) Continue On Fail: a failed file, an empty file and an item without a file become error items; the good file is intact', () => {
		const s = SCENARIOS.failures;
		const r = runOf(batch, s);
		const read = output(r, 'Read mixed');
		const byName = new Map<string, RunItem>();
		const results = output(r, 'DocFlow');
		for (const item of results) byName.set(read[pairedIndex(item)!].binary!.data.fileName!, item);
		expect([...byName.keys()].sort()).toEqual(['empty.pdf', 'good.pdf', 'invoice-fail.pdf']);
		expect(results).toHaveLength(3);

		const good = byName.get('good.pdf')!.json;
		expect(good).toMatchObject({ file_name: 'good.pdf', status: 'success' });
		expect(good.error).toBeUndefined();
		expect(good.fields['Invoice Number']).toBe(INVOICE_NUMBER);

		const failed = byName.get('invoice-fail.pdf')!.json;
		expect(failed).toMatchObject({ file_name: 'invoice-fail.pdf', status: 'failed', status_code: 2 });
		expect(failed.error).toMatch(/could not process “invoice-fail\.pdf”/);
		expect(failed.failure_causes).toBeTruthy();
		expect(failed.task_id).toMatch(/^\d{19}$/);

		const empty = byName.get('empty.pdf')!.json;
		expect(empty.error).toMatch(/empty/);
		expect(empty.task_id).toBeUndefined();

		const noFile = output(r, 'No file').map((i) => i.json);
		expect(noFile).toHaveLength(1);
		expect(noFile[0].error).toMatch(/no binary field “data”/);
		expect(noFile[0].description).toBeTruthy();

		// DocFlow received the two real files, nothing for the empty one or the item without a file
		const uploads = requestsOf(emulator, s, 'file/upload');
		expect(uploads.map((u) => u.parts?.map((p) => p.filename)).flat().sort()).toEqual(['good.pdf', 'invoice-fail.pdf']);
		expect(uploads.every((u) => u.parts!.every((p) => p.size > 0))).toBe(true);
		const [failedTask] = tasksNamed(emulator, ['invoice-fail.pdf']);
		expect(failedTask).toMatchObject({ recognitionStatus: 2, attempts: 1 });
	});

	test('(e) Signature authentication: every request signed, the secret never sent', () => {
		const s = SCENARIOS.signature;
		const r = runOf(batch, s);
		expect(output(r, 'Upload').map((i) => i.json)).toEqual([expect.objectContaining({ file_name: 'simple.pdf', status: 'success' })]);
		expect(output(r, 'Retry').map((i) => i.json)).toEqual([expect.objectContaining({ retried: true, name: 'simple.pdf' })]);

		const all = requestsOf(emulator, s);
		const endpoints = new Set(all.map((q) => q.path.split('/platform/v2/')[1]));
		expect(endpoints).toEqual(new Set(['file/upload', 'file/fetch', 'file/retry']));
		for (const req of all) {
			expect(req.auth).toMatchObject({ mode: 'signature', valid: true, secretHeader: false });
			expect(req.headers['x-ti-signature']).toMatch(/^[0-9a-f]{64}$/);
			expect(req.headers['x-ti-timestamp']).toMatch(/^\d{10}$/);
			expect(req.headers['x-ti-secret-code']).toBeUndefined();
			expect(JSON.stringify(req.headers)).not.toContain(s.secretCode);
			expect(req.code).toBe(200);
		}
		const [upload] = requestsOf(emulator, s, 'file/upload');
		expect(upload.parts![0].sha256).toBe(sha256(readFileSync(join(SAMPLES, 'simple.pdf'))));
	});

	test('(f) a 40 MiB file goes up whole, streamed and signed', () => {
		const s = SCENARIOS.big;
		const r = runOf(batch, s);
		expect(output(r, 'DocFlow').map((i) => i.json)).toEqual([expect.objectContaining({ file_name: 'big-scan.pdf', status: 'success' })]);
		const [upload] = requestsOf(emulator, s, 'file/upload');
		expect(upload.auth).toMatchObject({ mode: 'signature', valid: true, secretHeader: false });
		expect(upload.parts).toEqual([expect.objectContaining({ name: 'file', filename: 'big-scan.pdf', size: BIG_BYTES, sha256: bigSha })]);
		expect(upload.headers['content-length']).toBe(String(upload.bodyLength));
	});

	test('(g) File URLs: one JSON request with the URLs, results per document', () => {
		const s = SCENARIOS.urls;
		const r = runOf(batch, s);
		const results = output(r, 'DocFlow').map((i) => i.json);
		expect(results.map((j) => j.file_name)).toEqual(['invoice-2024-07.pdf', 'receipt-taxi.jpg']);
		expect(results.map((j) => j.status)).toEqual(['success', 'success']);
		expect(results[1].category).toBe('receipt');
		const uploads = requestsOf(emulator, s, 'file/upload');
		expect(uploads).toHaveLength(1);
		expect(uploads[0].headers['content-type']).toMatch(/^application\/json/);
		expect(uploads[0].json).toEqual({ urls: FILE_URLS });
		expect(uploads[0].query.workspace_id).toBe(WORKSPACE_ID);
	});

	test('(h) Split Files / Crop Multiple Images: the flags reach DocFlow, parents come out followed by their parts', () => {
		const s = SCENARIOS.split;
		const r = runOf(batch, s);
		for (const [node, flag, file] of [
			['Split', 'split_flag', 'split_example.pdf'],
			['Crop', 'crop_flag', 'crop_example.jpg'],
		] as const) {
			const items = output(r, node).map((i) => i.json);
			expect(items).toHaveLength(3);
			const [parent, ...parts] = items;
			expect(parent).toMatchObject({ file_name: file, task_type: 'parent', status: 'success' });
			expect(parent.child_task_ids).toEqual(parts.map((p) => p.task_id));
			for (const part of parts) {
				expect(part).toMatchObject({ parent_task_id: parent.task_id, status: 'success' });
				expect(Object.keys(part.fields).length).toBeGreaterThan(0);
			}
			const upload = requestsOf(emulator, s, 'file/upload').find((u) => u.parts![0].filename === file)!;
			expect(upload.query[flag]).toBe('true');
		}
	});

	test('example folder-to-json: one JSON file of results per document', () => {
		const s = SCENARIOS.exFolder;
		const r = runOf(batch, s);
		expect(output(r, 'Write JSON to disk')).toHaveLength(2);
		expect(readdirSync(dirs.exampleOut).sort()).toEqual(['simple.pdf.json', 'split_example.pdf.json']);
		for (const file of readdirSync(dirs.exampleOut)) {
			const json = JSON.parse(readFileSync(join(dirs.exampleOut, file), 'utf8'));
			expect(json).toMatchObject({ file_name: file.replace(/\.json$/, ''), status: 'success' });
			expect(json.fields['Invoice Number']).toBe(INVOICE_NUMBER);
		}
		expect(requestsOf(emulator, s, 'file/upload')).toHaveLength(2);
	});

	test('example retry-failed-daily: finds the failed file of the last day and retries it', () => {
		const s = SCENARIOS.exRetry;
		const r = runOf(batch, s);
		expect(output(r, 'Failed in the last day').map((i) => i.json.task_id)).toEqual([seeded.dailyFailTask]);
		expect(output(r, 'Retry').map((i) => i.json)).toEqual([
			expect.objectContaining({ task_id: seeded.dailyFailTask, file_name: 'daily-fail.pdf', status: 'success' }),
		]);
		const [lookup] = requestsOf(emulator, s, 'file/fetch');
		expect(lookup.query).toMatchObject({ workspace_id: OTHER_WORKSPACE_ID, recognition_status: '2' });
		const since = Date.parse(lookup.query.start_time);
		expect(Math.abs(Date.now() - 24 * 3600_000 - since)).toBeLessThan(15 * 60_000);
		expect(requestsOf(emulator, s, 'file/retry').map((q) => q.json)).toEqual([
			{ workspace_id: OTHER_WORKSPACE_ID, task_id: seeded.dailyFailTask },
		]);
		expect(emulator.tasks().find((t) => t.taskId === seeded.dailyOkTask)?.attempts).toBe(1);
	});

	test('example email-to-google-sheets (IMAP and Sheets stubbed): attachment → DocFlow → sheet row', () => {
		const s = SCENARIOS.exEmail;
		const r = runOf(batch, s);
		expect(output(r, 'DocFlow').map((i) => i.json)).toEqual([expect.objectContaining({ file_name: 'simple.pdf', status: 'success' })]);
		expect(output(r, 'Extracted?', 1)).toHaveLength(0);
		const rows = output(r, 'Append to Google Sheets').map((i) => i.json);
		expect(rows).toEqual([
			expect.objectContaining({ File: 'simple.pdf', 'Invoice Number': INVOICE_NUMBER, 'Total Amount': '11300.00' }),
		]);
		const [upload] = requestsOf(emulator, s, 'file/upload');
		expect(upload.parts!.map((p) => p.filename)).toEqual(['simple.pdf']);
	});

	// (i)–(k): On Error “Continue (using error output)”. Every item arrives at exactly one of the two
	// end nodes; the DocFlow node's own outputs are checked too, so a miscount points at the node
	// (its split) rather than at n8n's routing to the next nodes.
	test('(i) error output, Upload: 2 good files reach “Succeeded”; an empty file, a file DocFlow fails and an unknown workspace reach “Failed” with their detail', () => {
		const s = SCENARIOS.errUpload;
		const r = runOf(batch, s);
		const read = output(r, 'Read mixed');
		const index = (name: string) => read.findIndex((i) => i.binary?.data?.fileName === name);
		expect(read).toHaveLength(5);
		const { goodPdf, goodJpg, empty, fails, nowhere } = ERR_UPLOAD_FILES;
		expect(output(r, 'Upload', 0).map((i) => read[pairedIndex(i)!].binary!.data.fileName).sort()).toEqual([goodJpg, goodPdf]);
		expect(output(r, 'Upload', 1).map((i) => read[pairedIndex(i)!].binary!.data.fileName).sort()).toEqual([empty, nowhere, fails]);

		const succeeded = output(r, 'Succeeded').map((i) => i.json);
		expect(succeeded.map((j) => j.file_name).sort()).toEqual([goodJpg, goodPdf]);
		for (const j of succeeded) {
			expect(j).toMatchObject({ status: 'success', status_code: 1, task_id: expect.stringMatching(/^\d{19}$/) });
			expect(j.fields['Invoice Number']).toBe(INVOICE_NUMBER);
			expect(j.error).toBeUndefined();
		}

		const failed = output(r, 'Failed').map((i) => i.json);
		expect(failed).toHaveLength(3);
		// n8n adds the input item's json (Read/Write Files' fileName…) to each error item
		const byName = new Map(failed.map((j) => [j.fileName as string, j]));
		expect([...byName.keys()].sort()).toEqual([empty, nowhere, fails]);
		// refused before any request: no DocFlow code, no task
		expect(byName.get(empty)).toMatchObject({
			...read[index(empty)].json,
			error: {
				message: `The file “${empty}” in binary field “data” is empty [item ${index(empty)}]`,
				description: expect.stringMatching(/empty file/),
				binary_field: 'data',
				file_name: empty,
			},
		});
		expect(byName.get(empty)!.error.docflow_code).toBeUndefined();
		expect(byName.get(empty)!.error.task_id).toBeUndefined();
		// DocFlow refused the upload: its code, message and trace ID
		expect(byName.get(nowhere)).toMatchObject({
			error: {
				message: expect.stringMatching(new RegExp(`^DocFlow does not know this workspace \\(DocFlow code 40004.*\\[item ${index(nowhere)}\\]$`)),
				workspace_id: UNKNOWN_WORKSPACE_ID,
				batch_number: expect.stringMatching(/^\d{19}$/),
				docflow_code: 40004,
				docflow_message: '工作空间不存在',
				trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
				description: expect.stringMatching(/Workspace ID/),
			},
		});
		// DocFlow took the file but could not read it: the task to retry and the cause
		const failedTask = byName.get(fails)!;
		expect(failedTask).toMatchObject({
			error: {
				message: `DocFlow could not process “${fails}”: ${DEFAULT_FAILURE_CAUSE} [item ${index(fails)}]`,
				workspace_id: WORKSPACE_ID,
				batch_number: succeeded[0].batch_number,
				file_name: fails,
				task_id: expect.stringMatching(/^\d{19}$/),
				status: 'failed',
				status_code: 2,
				failure_causes: DEFAULT_FAILURE_CAUSE,
				description: expect.stringMatching(/Retry operation/),
			},
		});

		// DocFlow side: every file but the empty one was sent once; the good ones are stored whole
		const uploads = requestsOf(emulator, s, 'file/upload');
		expect(uploads.map((u) => [u.parts!.map((p) => p.filename).join(), u.query.workspace_id, u.code]).sort()).toEqual(
			[
				[goodJpg, WORKSPACE_ID, 200],
				[goodPdf, WORKSPACE_ID, 200],
				[nowhere, UNKNOWN_WORKSPACE_ID, 40004],
				[fails, WORKSPACE_ID, 200],
			].sort(),
		);
		const stored = tasksNamed(emulator, [goodPdf, goodJpg, empty, fails, nowhere]);
		expect(stored.map((t) => t.name).sort()).toEqual([goodJpg, goodPdf, fails]);
		for (const t of stored.filter((t) => t.name !== fails)) {
			expect(t.sha256).toBe(sha256(readFileSync(join(dirs.errors, t.name))));
			expect(t.recognitionStatus).toBe(1);
			expect(succeeded.find((j) => j.file_name === t.name)?.task_id).toBe(t.taskId);
		}
		expect(stored.find((t) => t.name === fails)).toMatchObject({ recognitionStatus: 2, taskId: failedTask.error.task_id });
	});

	test('(j) error output, Fetch Batch: 3 files of two batches reach “Succeeded”; the unknown workspace reaches “Failed” with its detail', () => {
		const s = SCENARIOS.errFetch;
		const r = runOf(batch, s);
		const a = seeded.errFetchA!;
		const b = seeded.errFetchB!;
		expect(output(r, 'Look-ups')).toHaveLength(3);
		// batch a (2 files) answers item 0, batch b (1 file) item 2; item 1 failed
		expect(output(r, 'Fetch', 0).map((i) => [i.json.file_name, pairedIndex(i)])).toEqual([
			...a.files.map((f) => [f.name, 0]),
			[b.files[0].name, 2],
		]);
		expect(output(r, 'Fetch', 1).map(pairedIndex)).toEqual([1]);

		const succeeded = output(r, 'Succeeded').map((i) => i.json);
		expect(succeeded).toHaveLength(3);
		expect(succeeded.map((j) => [j.file_name, j.batch_number, j.task_id, j.status])).toEqual(
			[...a.files.map((f) => [f.name, a.batch_number, f.task_id, 'success']), [b.files[0].name, b.batch_number, b.files[0].task_id, 'success']],
		);
		for (const j of succeeded) expect(j.error).toBeUndefined();

		const failed = output(r, 'Failed').map((i) => i.json);
		expect(failed).toEqual([
			{
				label: 'unknown workspace',
				ws: UNKNOWN_WORKSPACE_ID,
				batch: a.batch_number,
				error: {
					message: expect.stringMatching(/^DocFlow does not know this workspace \(DocFlow code 40004.*\[item 1\]$/),
					workspace_id: UNKNOWN_WORKSPACE_ID,
					docflow_code: 40004,
					docflow_message: '工作空间不存在',
					trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
					description: expect.stringMatching(/Workspace ID/),
				},
			},
		]);

		// DocFlow side: one look-up per item, only reads; the one in 404404 refused
		const fetches = requestsOf(emulator, s, 'file/fetch');
		expect(fetches.map((f) => [f.query.workspace_id, f.query.batch_number, f.code])).toEqual([
			[WORKSPACE_ID, a.batch_number, 200],
			[UNKNOWN_WORKSPACE_ID, a.batch_number, 40004],
			[WORKSPACE_ID, b.batch_number, 200],
		]);
		expect(requestsOf(emulator, s).filter((q) => q.method !== 'GET')).toEqual([]);
	});

	test('(k) error output, Retry: 2 retried tasks reach “Succeeded” with their new results; the unknown task reaches “Failed” with its detail', () => {
		const s = SCENARIOS.errRetry;
		const r = runOf(batch, s);
		const [t1, t2] = seeded.errRetryTasks;
		expect(output(r, 'Tasks')).toHaveLength(3);
		expect(output(r, 'Retry', 0).map((i) => [i.json.task_id, pairedIndex(i)])).toEqual([
			[t1, 0],
			[t2, 2],
		]);
		expect(output(r, 'Retry', 1).map(pairedIndex)).toEqual([1]);

		const succeeded = output(r, 'Succeeded').map((i) => i.json);
		expect(succeeded.map((j) => [j.task_id, j.file_name, j.status])).toEqual([
			[t1, 'eo-retry-fail-1.pdf', 'success'],
			[t2, 'eo-retry-fail-2.pdf', 'success'],
		]);
		for (const j of succeeded) expect(j.fields['Invoice Number']).toBe(INVOICE_NUMBER);

		expect(output(r, 'Failed').map((i) => i.json)).toEqual([
			{
				label: 'missing',
				task: '404',
				error: {
					message: `Task 404 was not found in workspace ${WORKSPACE_ID} [item 1]`,
					workspace_id: WORKSPACE_ID,
					task_id: '404',
					description: expect.stringMatching(/Check the Task ID/),
				},
			},
		]);

		// DocFlow side: the two failed tasks were retried once each and now succeeded; nothing was
		// sent for the unknown one
		expect(requestsOf(emulator, s, 'file/retry').map((q) => q.json)).toEqual([
			{ workspace_id: WORKSPACE_ID, task_id: t1 },
			{ workspace_id: WORKSPACE_ID, task_id: t2 },
		]);
		for (const id of [t1, t2]) {
			expect(emulator.tasks().find((t) => t.taskId === id)).toMatchObject({ attempts: 2, recognitionStatus: 1 });
		}
	});

	test('examples/ import unchanged, and every node, version, parameter and credential is one this n8n knows', async () => {
		await expectExamplesValid(folder, EXAMPLE_FILES);
	});
});
