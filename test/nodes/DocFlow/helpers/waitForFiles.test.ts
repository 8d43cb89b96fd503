import { runDocflow } from '../../../harness/engine.ts';
import {
	WORKSPACE_ID,
	credentialFor,
	rawFetch,
	sample,
	seedUpload,
	useEmulator,
	workspace,
} from '../../../harness/fixtures.ts';

const env = useEmulator({ stepMs: 20 });

const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));
const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));

const pdf = (fileName: string, seed = fileName) => ({
	binary: {
		data: {
			data: Buffer.concat([sample('simple.pdf'), Buffer.from(seed)]),
			fileName,
			mimeType: 'application/pdf',
		},
	},
});

/** Upload as a new node (version 1.1) creates it: only the workspace set, the rest defaults. */
const newUploadNode = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	typeVersion: 1.1,
	parameters: {
		resource: 'file',
		operation: 'upload',
		workspace: workspace(),
		options: { pollIntervalSeconds: 0.05, ...options },
		...extra,
	},
	credentials: credentialFor(env.emulator),
});

async function until(condition: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('Wait for completion', () => {
	test('Upload with the defaults of a new node returns the extracted fields of every file as flat items', async () => {
		const result = await runDocflow({
			...newUploadNode(),
			items: [pdf('invoice-a.pdf'), pdf('receipt-b.pdf')],
		});
		expect(result.error).toBeUndefined();
		const batch = uploads()[0].query.batch_number;
		const raw = await rawFetch(env.emulator, { batch_number: batch });
		expect(result.items).toHaveLength(2);
		for (const [index, item] of result.items.entries()) {
			const file = raw.files[index] as { id: string; task_id: string; name: string; category: string; data: { fields: Array<{ key: string; value: string }> } };
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({
				workspace_id: WORKSPACE_ID,
				file_id: file.id,
				task_id: file.task_id,
				batch_number: batch,
				file_name: file.name,
				category: file.category,
				status: 'success',
				status_code: 1,
				fields: Object.fromEntries(file.data.fields.map((f) => [f.key, f.value])),
			});
		}
		expect(result.items[0].json.fields).toMatchObject({ 'Invoice Number': expect.any(String) });
	});

	test('node version 1 keeps the upload receipt (no wait) unless Wait for Completion is switched on', async () => {
		const result = await runDocflow({
			...newUploadNode(),
			typeVersion: 1,
			items: [pdf('a.pdf')],
		});
		expect(result.items[0].json).toHaveProperty('file_id');
		expect(result.items[0].json).not.toHaveProperty('fields');
		expect(fetches()).toHaveLength(0);
	});

	test('polls once per batch per round: 1 file and 20 files cost the same number of file/fetch requests', async () => {
		const counts: number[] = [];
		for (const size of [1, 20]) {
			env.emulator.reset();
			env.emulator.setStepMs(60_000);
			// Each poll moves DocFlow one step on, so the count does not depend on the machine's speed.
			env.emulator.setAdvancePerFetch(60_000);
			const result = await runDocflow({
				...newUploadNode({ pollIntervalSeconds: 0.01 }),
				items: Array.from({ length: size }, (_, i) => pdf(`doc-${i}.pdf`)),
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(size);
			expect(new Set(uploads().map((u) => u.query.batch_number)).size).toBe(1);
			counts.push(fetches().length);
			expect(fetches().every((f) => f.query.batch_number === uploads()[0].query.batch_number)).toBe(true);
		}
		// preparing → parsing → classifying → extracting → success: four steps, four polls.
		expect(counts).toEqual([4, 4]);
	});

	test('timeout: the error names the batch and the tasks still running, and says how to pick them up', async () => {
		env.emulator.setStepMs(3_600_000);
		const result = await runDocflow({
			...newUploadNode({ timeoutMinutes: 0.01 }),
			items: [pdf('slow-1.pdf'), pdf('slow-2.pdf')],
		});
		const batch = uploads()[0].query.batch_number;
		const tasks = env.emulator.tasks().map((t) => t.taskId);
		expect(result.error?.message).toBe(
			`DocFlow had not finished after 0.6 seconds: batch ${batch}, tasks ${tasks.join(', ')} still running [item 0]`,
		);
		expect(result.error?.description).toBe(
			`Nothing is lost: the work goes on in DocFlow. Pick the results up later with the Fetch Batch operation (Look Up By: Batch Number, ${batch}), or raise Timeout in the node’s options.`,
		);
	});

	test('timeout with Continue On Fail: finished files come out, unfinished ones as error items', async () => {
		env.emulator.setStepMs(3_600_000);
		const running = runDocflow({
			...newUploadNode({ timeoutMinutes: 0.03 }),
			items: [pdf('quick.pdf'), pdf('slow.pdf')],
			continueOnFail: true,
		});
		await until(() => uploads().length === 2);
		env.emulator.finishTask(env.emulator.tasks()[0].taskId);
		const result = await running;
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json).toMatchObject({ file_name: 'quick.pdf', status: 'success' });
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const slow = env.emulator.tasks()[1];
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[1].json).toMatchObject({
			error: expect.stringMatching(new RegExp(`^DocFlow had not finished after 1.8 seconds: batch \\d+, task ${slow.taskId} still running \\[item 1\\]$`)),
			description: expect.stringMatching(/Fetch Batch/),
			task_id: slow.taskId,
			file_name: 'slow.pdf',
			status: expect.stringMatching(/preparing|parsing/),
		});
	});

	test('a file DocFlow fails: an error with the failure cause, or with Continue On Fail an error item beside the good results', async () => {
		let result = await runDocflow({
			...newUploadNode(),
			items: [pdf('good.pdf'), pdf('will-fail.pdf')],
		});
		expect(result.error?.message).toBe(
			'DocFlow could not process “will-fail.pdf”: Document parsing failed: the file is damaged or unreadable [item 1]',
		);
		expect(result.error?.description).toMatch(/Retry operation \(Task ID \d+\)/);

		result = await runDocflow({
			...newUploadNode(),
			items: [pdf('good.pdf'), pdf('will-fail.pdf')],
			continueOnFail: true,
		});
		expect(result.items.map((i) => [i.pairedItem, i.json.status, i.json.file_name])).toEqual([
			[{ item: 0 }, 'success', 'good.pdf'],
			[{ item: 1 }, 'failed', 'will-fail.pdf'],
		]);
		expect(result.items[1].json).toMatchObject({
			failure_causes: 'Document parsing failed: the file is damaged or unreadable',
			error: expect.stringContaining('could not process'),
		});
		expect(result.items[1].json.description).not.toMatch(/Turn on Continue On Fail/);
	});

	test('split and crop parents come out with their children as their own items, linked to the parent', async () => {
		const result = await runDocflow({
			...newUploadNode({ splitFiles: '={{ $json.kind === "split" }}', cropMultipleImages: '={{ $json.kind === "crop" }}' }),
			items: [
				{ ...pdf('bundle.pdf'), json: { kind: 'split' } },
				{ binary: { data: { data: sample('crop_example.jpg'), fileName: 'receipts.jpg', mimeType: 'image/jpeg' } }, json: { kind: 'crop' } },
			],
			continueOnFail: false,
		});
		expect(result.error).toBeUndefined();
		const rows = result.items.map((i) => [i.pairedItem, i.json.task_type, i.json.file_name, i.json.parent_task_id ?? null]);
		const [bundle, , , receipts] = result.items.map((i) => i.json);
		expect(rows).toEqual([
			[{ item: 0 }, 'parent', 'bundle.pdf', null],
			[{ item: 0 }, 'split part', expect.any(String), bundle.task_id],
			[{ item: 0 }, 'split part', expect.any(String), bundle.task_id],
			[{ item: 1 }, 'parent', 'receipts.jpg', null],
			[{ item: 1 }, 'cropped image', expect.any(String), receipts.task_id],
			[{ item: 1 }, 'cropped image', expect.any(String), receipts.task_id],
		]);
		expect(bundle.child_task_ids).toEqual([result.items[1].json.task_id, result.items[2].json.task_id]);
		expect(result.items[1].json.parent_file_id).toBe(bundle.file_id);
	});

	test('Simplify off: DocFlow’s object unchanged', async () => {
		const result = await runDocflow({
			...newUploadNode({}, { simplify: false }),
			items: [pdf('invoice.pdf')],
		});
		const raw = await rawFetch(env.emulator, { batch_number: uploads()[0].query.batch_number });
		expect(result.items.map((i) => i.json)).toEqual(raw.files);
	});

	test('Include Input File: the original document rides along, byte for byte, in both binary modes', async () => {
		const bytes = sample('split_example.pdf');
		for (const binaryMode of ['default', 'filesystem'] as const) {
			env.emulator.reset();
			const result = await runDocflow({
				...newUploadNode({ includeInputFile: true }, { binaryPropertyName: 'attachment_0' }),
				items: [{ binary: { attachment_0: { data: bytes, fileName: 'scan.pdf', mimeType: 'application/pdf' } } }],
				binaryMode,
			});
			expect(result.error).toBeUndefined();
			const out = result.items[0].binary?.attachment_0;
			expect(out).toEqual(result.inputs[0].binary?.attachment_0);
			expect(out?.fileName).toBe('scan.pdf');
			if (binaryMode === 'default') expect(Buffer.from(out!.data, 'base64').equals(bytes)).toBe(true);
			else expect(out?.id).toMatch(/^filesystem/);
		}
	});

	test('document text and task detail URL are asked for once, with the final answer', async () => {
		const result = await runDocflow({
			...newUploadNode({ includeDocumentText: true, includeTaskDetailUrl: true }),
			items: [pdf('invoice.pdf')],
		});
		expect(result.items[0].json.text).toEqual(expect.any(String));
		expect(result.items[0].json.task_detail_url).toEqual(expect.any(String));
		const withDocument = fetches().filter((f) => f.query.with_document === 'true');
		expect(withDocument).toHaveLength(1);
		expect(fetches().at(-1)?.query.with_document).toBe('true');
	});

	test('Retry with Wait for Completion returns the new result', async () => {
		const seeded = await seedUpload(env.emulator, ['will-fail.pdf']);
		env.emulator.finishAll();
		const result = await runDocflow({
			typeVersion: 1.1,
			parameters: {
				resource: 'file',
				operation: 'retry',
				workspace: workspace(),
				taskId: seeded.files[0].task_id,
				waitForCompletion: true,
				options: { pollIntervalSeconds: 0.05 },
			},
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			task_id: seeded.files[0].task_id,
			status: 'success',
		});
		expect(result.items[0].json.fields).toMatchObject({ 'Invoice Number': expect.any(String) });
		expect(env.emulator.requests.find((r) => r.path.endsWith('/file/retry'))?.json).toEqual({
			workspace_id: WORKSPACE_ID,
			task_id: seeded.files[0].task_id,
		});
	});

	test('Fetch Batch simplified: parent and children flat', async () => {
		const seeded = await seedUpload(env.emulator, ['bundle.pdf'], { split_flag: 'true' });
		env.emulator.finishAll();
		const result = await runDocflow({
			typeVersion: 1.1,
			parameters: {
				resource: 'file',
				operation: 'fetchBatch',
				workspace: workspace(),
				batchNumber: seeded.batch_number,
			},
			credentials: credentialFor(env.emulator),
		});
		expect(result.items.map((i) => i.json.task_type)).toEqual(['parent', 'split part', 'split part']);
		expect(result.items.every((i) => typeof i.json.fields === 'object')).toBe(true);
	});
});
