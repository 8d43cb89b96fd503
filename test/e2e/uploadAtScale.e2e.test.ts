/**
 * Upload at scale inside real n8n (each version under test): combined uploads (node version
 * 1.2's default) and Wait Mode “Synchronous Request”, the packed package installed as a community
 * package, workflows run with `n8n execute-batch` against an emulator of this file's own.
 * Checked twice: what each workflow output, and what DocFlow (the emulator) received.
 *
 *   node node_modules/.bin/jest -c jest.e2e.config.js test/e2e/uploadAtScale.e2e.test.ts
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator, RecordedRequest } from '../emulator/index.ts';
import { sha256 } from '../harness/fixtures.ts';
import { N8nFolder, SAMPLES, output, packPackage, pairedIndex, removeScratch, versionsUnderTest } from './n8n.ts';
import type { BatchResult, Run, Workflow } from './n8n.ts';
import { connect, docflow, emulatorCredentials, manualTrigger, n8nCredentials, noOp, readFiles, workflow } from './workflows.ts';
import type { Scenario } from './workflows.ts';

const INVOICE_NUMBER = '28737000';

/** This file's scenarios: each its own App ID, so the emulator's log tells their requests apart. */
function scenario(key: string, n: number): Scenario {
	return {
		workflowId: `e2eScale${key}`.slice(0, 18).padEnd(18, '0') + String(n).padStart(3, '0'),
		appId: `e2e-scale-${key}`,
		secretCode: `e2e-secret-scale-${key}`,
		credentialId: `e2eCredScale${key}`.slice(0, 30),
		credentialName: `DocFlow e2e scale ${key}`,
		authentication: 'simple',
	};
}

const S = {
	combined: scenario('Combined', 1),
	legacy: scenario('Legacy', 2),
	sync: scenario('Sync', 3),
	refusals: scenario('Refusals', 4),
};

describe.each(versionsUnderTest())('n8n %s: upload at scale', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let batch: BatchResult;
	let work: string;
	const dirs = { many: '', few: '', refusals: '' };
	const bytes = new Map<string, Buffer>();

	/** A PDF of its own bytes in `dir`. */
	function pdf(dir: string, name: string): void {
		const data = Buffer.concat([readFileSync(join(SAMPLES, 'simple.pdf')), Buffer.from(`\n% ${name}\n`)]);
		writeFileSync(join(dir, name), data);
		bytes.set(name, data);
	}

	const requestsOf = (s: Scenario, endpoint: string): RecordedRequest[] =>
		emulator.requests.filter((r) => r.headers['x-ti-app-id'] === s.appId && r.path.endsWith(`/${endpoint}`));

	function runOf(s: Scenario): Run {
		const r = batch.runs.get(s.workflowId);
		if (!r) throw new Error(`workflow ${s.workflowId} did not finish: ${batch.errors.get(s.workflowId) ?? 'no run'}\n${batch.stderr.slice(-4000)}`);
		return r;
	}

	/** Each output item's file name next to the name of the file its paired input item carried. */
	function pairing(run: Run, readNode: string, node: string, field = 'file_name'): Array<[unknown, unknown]> {
		const inputs = output(run, readNode);
		return output(run, node).map((item) => [item.json[field], inputs[pairedIndex(item)!]?.binary?.data?.fileName]);
	}

	beforeAll(async () => {
		emulator = await startDocflowEmulator({
			stepMs: 100,
			credentials: emulatorCredentials(Object.values(S)),
		});
		work = mkdtempSync(join(tmpdir(), `docflow-e2e-scale-${version}-`));
		for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
			dirs[key] = join(work, key);
			mkdirSync(dirs[key]);
		}
		for (let i = 0; i < 12; i++) pdf(dirs.many, `invoice-${String(i).padStart(2, '0')}.pdf`);
		for (let i = 0; i < 3; i++) pdf(dirs.few, `receipt-${i}.pdf`);
		for (const name of ['a-fine.pdf', 'b-unaccepted.pdf', 'c-fine.pdf', 'd-corrupt.pdf', 'e-fine.pdf']) pdf(dirs.refusals, name);

		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [work]);
		const credentials = n8nCredentials(emulator.url, Object.values(S));
		await folder.importCredentials(credentials);

		const v12 = { typeVersion: 1.2 };
		const workflows: Workflow[] = [
			// 12 files → one DocFlow Upload as a node added today (version 1.2): combined, waiting by polling
			workflow(S.combined, 'combined uploads', [manualTrigger(), readFiles('Read', `${dirs.many}/*.pdf`), docflow('DocFlow', S.combined, { operation: 'upload' }, v12)], connect(['Start', 'Read', 'DocFlow'])),
			// the same on a node of version 1.1: one request per item, as before
			workflow(S.legacy, 'one request per item (1.1)', [manualTrigger(), readFiles('Read', `${dirs.many}/*.pdf`), docflow('DocFlow', S.legacy, { operation: 'upload' })], connect(['Start', 'Read', 'DocFlow'])),
			// Wait Mode “Synchronous Request”
			workflow(
				S.sync,
				'synchronous request',
				[manualTrigger(), readFiles('Read', `${dirs.few}/*.pdf`), docflow('DocFlow', S.sync, { operation: 'upload', waitMode: 'sync', options: { includeTaskDetailUrl: true } }, v12)],
				connect(['Start', 'Read', 'DocFlow']),
			),
			// refusals in a combined request, Continue (using error output)
			workflow(
				S.refusals,
				'combined uploads: refusals on the error output',
				[
					manualTrigger(),
					readFiles('Read', `${dirs.refusals}/*.pdf`),
					docflow('DocFlow', S.refusals, { operation: 'upload', waitForCompletion: false }, { ...v12, onError: 'continueErrorOutput' }),
					noOp('Succeeded'),
					noOp('Failed'),
				],
				connect(['Start', 'Read', 'DocFlow', 'Succeeded'], [['DocFlow', 1], 'Failed']),
			),
		];
		await folder.importWorkflows(workflows);
		batch = await folder.executeBatch(workflows.map((w) => w.id));
		process.stderr.write(`[e2e scale] n8n ${version}: ${workflows.length} workflows in ${(batch.ms / 1000).toFixed(1)} s\n`);
	}, 10 * 60_000);

	afterAll(async () => {
		await emulator?.close();
		folder?.remove();
		removeScratch(work);
	});

	test('combined uploads (version 1.2): 12 files in 2 requests (10 + 2), each result on its own item, every file stored once byte for byte', () => {
		const run = runOf(S.combined);
		const uploads = requestsOf(S.combined, 'file/upload');
		expect(uploads.map((r) => r.parts!.length)).toEqual([10, 2]);
		expect(new Set(uploads.map((r) => r.query.batch_number)).size).toBe(1);
		const sent = uploads.flatMap((r) => r.parts!.map((p) => [p.filename, p.sha256]));
		expect(sent.map(([name]) => name).sort()).toEqual([...bytes.keys()].filter((n) => n.startsWith('invoice-')).sort());
		for (const [name, sha] of sent) expect(sha).toBe(sha256(bytes.get(name!)!));
		// waiting: one poll per batch per round, never per file
		expect(requestsOf(S.combined, 'file/fetch').length).toBeLessThanOrEqual(4);

		const items = output(run, 'DocFlow');
		expect(items).toHaveLength(12);
		for (const [resultName, inputName] of pairing(run, 'Read', 'DocFlow')) expect(resultName).toBe(inputName);
		expect(items.map((i) => pairedIndex(i))).toEqual(Array.from({ length: 12 }, (_, i) => i));
		for (const item of items) {
			expect(item.json).toMatchObject({ status: 'success', format: 'pdf' });
			expect(item.json.fields['Invoice Number']).toBe(INVOICE_NUMBER);
		}
		const stored = emulator.tasks().filter((t) => t.name.startsWith('invoice-') && items.some((i) => i.json.task_id === t.taskId));
		expect(stored).toHaveLength(12);
		for (const task of stored) expect(task.sha256).toBe(sha256(bytes.get(task.name)!));
	});

	test('a node of version 1.1 keeps one request per item', () => {
		const run = runOf(S.legacy);
		expect(requestsOf(S.legacy, 'file/upload').map((r) => r.parts!.length)).toEqual(Array.from({ length: 12 }, () => 1));
		for (const [resultName, inputName] of pairing(run, 'Read', 'DocFlow')) expect(resultName).toBe(inputName);
	});

	test('Wait Mode “Synchronous Request”: one file/upload/sync, no polling, the same results on their items', () => {
		const run = runOf(S.sync);
		expect(requestsOf(S.sync, 'file/upload')).toEqual([]);
		expect(requestsOf(S.sync, 'file/fetch')).toEqual([]);
		const [sync, ...more] = requestsOf(S.sync, 'file/upload/sync');
		expect(more).toEqual([]);
		expect(sync.query).toMatchObject({ workspace_id: '1234567890', with_task_detail_url: 'true' });
		expect(sync.parts!.map((p) => p.filename).sort()).toEqual(['receipt-0.pdf', 'receipt-1.pdf', 'receipt-2.pdf']);
		const items = output(run, 'DocFlow');
		expect(items).toHaveLength(3);
		for (const [resultName, inputName] of pairing(run, 'Read', 'DocFlow')) expect(resultName).toBe(inputName);
		for (const item of items) {
			expect(item.json).toMatchObject({ status: 'success', task_detail_url: expect.stringContaining('/task/') });
			expect(item.json.duration_ms).toBeGreaterThanOrEqual(300);
		}
	});

	test('refusals in a combined request, error output: only the two refused files’ items fail (left out of the answer; the whole request refused, then sent item by item), the others succeed once', () => {
		const run = runOf(S.refusals);
		const uploads = requestsOf(S.refusals, 'file/upload');
		expect(uploads[0].parts!.map((p) => p.filename)).toEqual(['a-fine.pdf', 'b-unaccepted.pdf', 'c-fine.pdf', 'd-corrupt.pdf', 'e-fine.pdf']);
		expect(uploads[0].code).toBe(40004);
		expect(uploads.slice(1).map((r) => r.parts!.map((p) => p.filename))).toEqual([['a-fine.pdf'], ['b-unaccepted.pdf'], ['c-fine.pdf'], ['d-corrupt.pdf'], ['e-fine.pdf']]);

		expect(output(run, 'Succeeded').map((i) => i.json.name)).toEqual(['a-fine.pdf', 'c-fine.pdf', 'e-fine.pdf']);
		const failed = output(run, 'Failed');
		expect(failed.map((i) => [i.json.fileName, i.json.error.docflow_code])).toEqual([
			['b-unaccepted.pdf', 40004],
			['d-corrupt.pdf', 40004],
		]);
		expect(failed[0].json.error.message).toMatch(/file upload failed: b-unaccepted\.pdf.*\[item 1\]$/);
		expect(failed[1].json.error.message).toMatch(/file is corrupt and cannot be read: d-corrupt\.pdf.*\[item 3\]$/);
		const fine = emulator.tasks().filter((t) => /^[ace]-fine\.pdf$/.test(t.name));
		expect(fine.map((t) => t.name).sort()).toEqual(['a-fine.pdf', 'c-fine.pdf', 'e-fine.pdf']);
		for (const task of fine) expect(task.sha256).toBe(sha256(bytes.get(task.name)!));
	});
});
