/**
 * Upload with Wait Mode “Synchronous Request”: the files go to file/upload/sync, which DocFlow
 * (the emulator) answers only once it has processed them, so one connection is held for the
 * whole processing time. The output is the same as waiting by polling. The request is not safe to
 * send twice: when its answer gets lost, the batch is looked up (as for an upload), and the
 * results of the files found there are polled for.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { runDocflow } from '../../../../harness/engine.ts';
import type { InputItem, RunOptions } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, sample, sha256, useEmulator, workspace } from '../../../../harness/fixtures.ts';

const env = useEmulator({ stepMs: 50 });

const syncs = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload/sync'));
const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));
const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

const bytesOf = (tag: string) => Buffer.concat([sample('simple.pdf'), Buffer.from(`document ${tag}`)]);
const doc = (name: string): InputItem => ({ binary: { data: { data: bytesOf(name), fileName: name, mimeType: 'application/pdf' } } });

const waitBy = (waitMode: 'poll' | 'sync', options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	waitForCompletion: true,
	waitMode,
	options: { pollIntervalSeconds: 0.2, ...options },
	...extra,
});

const run = async (options: Omit<RunOptions, 'credentials'>) =>
	await runDocflow({ credentials: credentialFor(env.emulator), typeVersion: 1.2, ...options });

/** An output item without what differs from run to run (IDs, batch, timing), to compare two runs. */
function comparable(item: INodeExecutionData) {
	const json = { ...item.json };
	for (const key of ['file_id', 'task_id', 'batch_number', 'duration_ms', 'id', 'parent_task_id', 'child_files']) delete json[key];
	return { json, pairedItem: item.pairedItem };
}

function eachStoredOnce(names: string[]) {
	const stored = env.emulator.tasks().filter((t) => t.source === 'multipart');
	expect(stored.map((t) => t.name).sort()).toEqual([...names].sort());
	for (const name of names) expect(stored.filter((t) => t.sha256 === sha256(bytesOf(name)))).toHaveLength(1);
}

describe('Wait Mode “Synchronous Request” on the wire', () => {
	test('one file/upload/sync for the combined items, held until DocFlow processed them; no file/upload, no polling', async () => {
		env.emulator.setStepMs(300);
		const result = await run({ parameters: waitBy('sync'), items: [doc('s-0.pdf'), doc('s-1.pdf'), doc('s-2.pdf')] });
		expect(result.error).toBeUndefined();
		expect(uploads()).toEqual([]);
		expect(fetches()).toEqual([]);
		expect(syncs()).toHaveLength(1);
		const [request] = syncs();
		expect(request.method).toBe('POST');
		expect(request.query).toEqual({ workspace_id: WORKSPACE_ID, batch_number: expect.stringMatching(/^\d{19}$/) });
		expect(request.parts!.map((p) => [p.filename, p.sha256])).toEqual(['s-0.pdf', 's-1.pdf', 's-2.pdf'].map((n) => [n, sha256(bytesOf(n))]));
		// The connection was held for the processing: 4 steps of 300 ms from the upload.
		expect(result.endedAt - request.receivedAt).toBeGreaterThanOrEqual(1150);
		expect(result.items.map((i) => [i.pairedItem, i.json.file_name, i.json.status, i.json.duration_ms])).toEqual(
			['s-0.pdf', 's-1.pdf', 's-2.pdf'].map((name, item) => [{ item }, name, 'success', expect.any(Number)]),
		);
		expect(result.items[0].json.duration_ms).toBeGreaterThanOrEqual(1150);
		expect(result.items[0].json.fields).toMatchObject({ 'Invoice Number': '28737000' });
		expect(result.items.map((i) => i.json.file_id)).toEqual(env.emulator.tasks().map((t) => t.fileId));
		eachStoredOnce(['s-0.pdf', 's-1.pdf', 's-2.pdf']);
	});

	test.each([
		['simplified', true],
		['raw', false],
	] as const)('the same output as waiting by polling (%s)', async (_name, simplify) => {
		const items = [doc('invoice-a.pdf'), doc('receipt-b.jpg'), doc('contract-c.pdf')];
		items[1].binary!.data.mimeType = 'image/jpeg';
		const options = { includeInputFile: true, splitFiles: false };
		const polled = await run({ parameters: waitBy('poll', options, { simplify }), items });
		env.emulator.reset();
		env.emulator.setStepMs(50);
		const synced = await run({ parameters: waitBy('sync', options, { simplify }), items });
		expect(polled.error).toBeUndefined();
		expect(synced.error).toBeUndefined();
		expect(fetches()).toEqual([]);
		expect(synced.items.map(comparable)).toEqual(polled.items.map(comparable));
		expect(synced.items.map((i) => Object.keys(i.binary ?? {}))).toEqual([['data'], ['data'], ['data']]);
		expect(synced.items).toHaveLength(3);
	});

	test('split files: the parent followed by its parts, as with polling', async () => {
		const result = await run({ parameters: waitBy('sync', { splitFiles: true }), items: [doc('bundle.pdf')] });
		expect(result.error).toBeUndefined();
		expect(syncs()[0].query.split_flag).toBe('true');
		expect(result.items.map((i) => [i.json.file_name, i.json.task_type])).toEqual([
			['bundle.pdf', 'parent'],
			['bundle_1.pdf', 'split part'],
			['bundle_2.pdf', 'split part'],
		]);
	});

	test('Include Task Detail URL goes on the synchronous request; Include Document Text (which it has no parameter for) is read once per batch afterwards', async () => {
		const result = await run({
			parameters: waitBy('sync', { includeTaskDetailUrl: true, includeDocumentText: true }),
			items: [doc('t-0.pdf'), doc('t-1.pdf')],
		});
		expect(result.error).toBeUndefined();
		expect(syncs()).toHaveLength(1);
		expect(syncs()[0].query).toMatchObject({ with_task_detail_url: 'true' });
		expect(syncs()[0].query.with_document).toBeUndefined();
		expect(fetches().map((r) => r.query)).toEqual([
			{ workspace_id: WORKSPACE_ID, batch_number: syncs()[0].query.batch_number, with_document: 'true', with_task_detail_url: 'true', page: '1', page_size: '1000' },
		]);
		for (const item of result.items) {
			expect(item.json.task_detail_url).toMatch(/\/task\//);
			expect(typeof item.json.text).toBe('string');
		}
	});

	test('a file DocFlow could not process fails its item, as with polling; Continue (using error output) keeps the others', async () => {
		const result = await run({
			parameters: waitBy('sync'),
			items: [doc('ok-0.pdf'), doc('will-fail.pdf'), doc('ok-2.pdf')],
			onError: 'continueErrorOutput',
		});
		expect(result.items.map((i) => [i.pairedItem, i.json.file_name])).toEqual([
			[{ item: 0 }, 'ok-0.pdf'],
			[{ item: 2 }, 'ok-2.pdf'],
		]);
		expect(result.errorItems.map((i) => [i.pairedItem, (i.json.error as { message: string; status: string }).message])).toEqual([
			[{ item: 1 }, expect.stringMatching(/^DocFlow could not process “will-fail\.pdf”: .* \[item 1\]$/)],
		]);
	});

	test('a file DocFlow does not take fails only its item (regular output), the others are processed', async () => {
		const result = await run({ parameters: waitBy('sync'), items: [doc('ok-0.pdf'), doc('x-unaccepted.pdf'), doc('ok-2.pdf')], continueOnFail: true });
		expect(syncs()).toHaveLength(1);
		expect(result.items.map((i) => [i.pairedItem, i.json.file_name ?? i.json.error])).toEqual([
			[{ item: 0 }, 'ok-0.pdf'],
			[{ item: 1 }, expect.stringMatching(/^DocFlow did not accept “x-unaccepted\.pdf” \(batch \d{19}\) \[item 1\]$/)],
			[{ item: 2 }, 'ok-2.pdf'],
		]);
	});
});

describe('Wait Mode “Synchronous Request”: a lost answer is never sent again', () => {
	test.each([
		['the Request Timeout runs out while DocFlow works (hang)', { kind: 'hang-after' }, { requestTimeoutSeconds: 1 }],
		['the connection breaks after DocFlow took the files', { kind: 'reset-after' }, {}],
		['the answer breaks off', { kind: 'truncated-json' }, {}],
	] as const)('%s: the batch is looked up, the files found there are polled for; same output', async (_name, fault, options) => {
		env.emulator.setStepMs(200);
		env.emulator.injectFault({ path: 'file/upload/sync', ...fault });
		const names = ['l-0.pdf', 'l-1.pdf'];
		const result = await run({ parameters: waitBy('sync', { maxRetrySeconds: 30, ...options }), items: names.map(doc) });
		expect(result.error).toBeUndefined();
		expect(syncs()).toHaveLength(1);
		expect(uploads()).toEqual([]);
		eachStoredOnce(names);
		// the look-up, then polls until done: every one for the batch
		expect(fetches().length).toBeGreaterThanOrEqual(2);
		expect(new Set(fetches().map((r) => r.query.batch_number))).toEqual(new Set([syncs()[0].query.batch_number]));
		expect(result.items.map((i) => [i.pairedItem, i.json.file_name, i.json.status])).toEqual(names.map((name, item) => [{ item }, name, 'success']));
		expect(result.items.map((i) => i.json.file_id)).toEqual(env.emulator.tasks().map((t) => t.fileId));
	});

	test('refused before processing (500 without storing): looked up, not found, sent again once', async () => {
		env.emulator.injectFault({ path: 'file/upload/sync', kind: 'status', status: 500 });
		const result = await run({ parameters: waitBy('sync', { maxRetrySeconds: 30 }), items: [doc('m-0.pdf')] });
		expect(result.error).toBeUndefined();
		expect(syncs().map((r) => r.status)).toEqual([500, 200]);
		expect(fetches()).toHaveLength(1);
		eachStoredOnce(['m-0.pdf']);
		expect(result.items[0].json).toMatchObject({ file_name: 'm-0.pdf', status: 'success' });
	});

	test('Stop while the synchronous request is held: ends within a second, nothing more sent', async () => {
		env.emulator.setStepMs(3_600_000);
		const result = await run({ parameters: waitBy('sync'), items: [doc('held.pdf')], cancelAfterMs: 800 });
		expect(result.endedAt - result.cancelledAt!).toBeLessThan(1000);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(env.emulator.requests.filter((r) => r.receivedAt > result.cancelledAt! + 5)).toEqual([]);
		expect(syncs()).toHaveLength(1);
		expect(syncs()[0].status).toBe(0);
		expect(result.run.status).toBe('canceled');
		expect(result.items).toEqual([]);
	});
});
