/**
 * Combined uploads (node version 1.2's default): the files of several items go to DocFlow in one
 * multipart request to the same batch, and DocFlow's answer is mapped back to each item. Through
 * n8n's engine against the emulator: how many requests, which files in each, whose file ID each
 * item gets (by the bytes DocFlow stored under it), refusals failing only their own item, both
 * Continue On Fail outputs, item order, and the Stop button.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { DocFlow } from '../../../../../nodes/DocFlow/DocFlow.node.ts';
import { COMBINED_UPLOAD_DEFAULTS } from '../../../../../nodes/DocFlow/transport/api.types.ts';
import { runDocflow } from '../../../../harness/engine.ts';
import type { InputItem, RunOptions } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, sample, sha256, useEmulator, workspace } from '../../../../harness/fixtures.ts';

const env = useEmulator();

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));
const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

/** Each document its own bytes, so whose file DocFlow stored under an ID can be told. */
const bytesOf = (tag: string, size?: number) => {
	const head = Buffer.concat([sample('simple.pdf'), Buffer.from(`document ${tag}`)]);
	return size === undefined || size <= head.length ? head : Buffer.concat([head, Buffer.alloc(size - head.length, 0x20)]);
};
const doc = (name: string, tag = name, size?: number): InputItem => ({
	json: { tag },
	binary: { data: { data: bytesOf(tag, size), fileName: name, mimeType: 'application/pdf' } },
});
const docs = (count: number, prefix = 'doc') => Array.from({ length: count }, (_, i) => doc(`${prefix}-${i}.pdf`));

const upload = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	waitForCompletion: false,
	options,
	...extra,
});

const run = async (options: Omit<RunOptions, 'credentials'>) =>
	await runDocflow({ credentials: credentialFor(env.emulator), typeVersion: 1.2, ...options });

/** The file names each upload request carried, request by request. */
const partsPerRequest = () => uploads().map((r) => (r.parts ?? []).map((p) => p.filename));

/** The bytes DocFlow stored under the file ID an output item names. */
const storedShaOf = (item: INodeExecutionData) => env.emulator.tasks().find((t) => t.fileId === item.json.file_id)?.sha256;

/** Every tag's document is stored exactly once, and nothing else is. */
function eachStoredOnce(tags: string[]) {
	const stored = env.emulator.tasks().filter((t) => t.source === 'multipart');
	expect(stored).toHaveLength(tags.length);
	for (const tag of tags) expect(stored.filter((t) => t.sha256 === sha256(bytesOf(tag)))).toHaveLength(1);
}

describe('Combined uploads on the wire', () => {
	test('12 single-file items: 2 requests (10 + 2) to one batch, files in item order, each item paired with its own stored file', async () => {
		const items = docs(12);
		const result = await run({ parameters: upload(), items });
		expect(result.error).toBeUndefined();
		expect(partsPerRequest()).toEqual([
			Array.from({ length: 10 }, (_, i) => `doc-${i}.pdf`),
			['doc-10.pdf', 'doc-11.pdf'],
		]);
		expect(new Set(uploads().map((r) => r.query.batch_number)).size).toBe(1);
		expect(uploads().map((r) => r.query)).toEqual(uploads().map(() => ({ workspace_id: WORKSPACE_ID, batch_number: expect.stringMatching(/^\d{19}$/) })));
		// Every part's bytes on the wire are the item's own.
		expect(uploads().flatMap((r) => r.parts!.map((p) => p.sha256))).toEqual(items.map((_, i) => sha256(bytesOf(`doc-${i}.pdf`))));
		expect(result.items.map((i) => [i.pairedItem, i.json.name, i.json.binary_field])).toEqual(
			items.map((_, i) => [{ item: i }, `doc-${i}.pdf`, 'data']),
		);
		expect(result.items.map(storedShaOf)).toEqual(items.map((_, i) => sha256(bytesOf(`doc-${i}.pdf`))));
		expect(new Set(result.items.map((i) => i.json.file_id)).size).toBe(12);
		eachStoredOnce(items.map((_, i) => `doc-${i}.pdf`));
	});

	test('the defaults in the panel are the limits the node applies (10 files, 100 MiB)', () => {
		const options = new DocFlow().description.properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('upload'),
		)!.options as Array<{ name: string; default: unknown }>;
		expect(options.find((o) => o.name === 'maxFilesPerRequest')?.default).toBe(COMBINED_UPLOAD_DEFAULTS.maxFiles);
		expect(options.find((o) => o.name === 'maxRequestMiB')?.default).toBe(COMBINED_UPLOAD_DEFAULTS.maxBytes / (1024 * 1024));
		expect(COMBINED_UPLOAD_DEFAULTS).toEqual({ maxFiles: 10, maxBytes: 100 * 1024 * 1024 });
	});

	test('Max Files per Request bounds each request; an item’s several files are never split over requests', async () => {
		const three = (tag: string): InputItem => ({
			binary: {
				a: { data: bytesOf(`${tag}-a`), fileName: `${tag}-a.pdf`, mimeType: 'application/pdf' },
				b: { data: bytesOf(`${tag}-b`), fileName: `${tag}-b.pdf`, mimeType: 'application/pdf' },
				c: { data: bytesOf(`${tag}-c`), fileName: `${tag}-c.pdf`, mimeType: 'application/pdf' },
			},
		});
		const one = (tag: string): InputItem => ({ binary: { a: { data: bytesOf(tag), fileName: `${tag}.pdf`, mimeType: 'application/pdf' } } });
		const result = await run({
			parameters: upload({ maxFilesPerRequest: 4, binaryPropertyName: undefined }, { binaryPropertyName: '={{ $json.fields }}' }),
			items: [
				{ ...one('i0'), json: { fields: 'a' } },
				{ ...three('i1'), json: { fields: 'a,b,c' } },
				{ ...three('i2'), json: { fields: 'a,b,c' } },
				{ ...one('i3'), json: { fields: 'a' } },
				// more files than a request may carry: it goes alone, whole
				{
					binary: { ...three('i4').binary, d: { data: bytesOf('i4-d'), fileName: 'i4-d.pdf', mimeType: 'application/pdf' }, e: { data: bytesOf('i4-e'), fileName: 'i4-e.pdf', mimeType: 'application/pdf' } },
					json: { fields: 'a,b,c,d,e' },
				},
			],
		});
		expect(result.error).toBeUndefined();
		expect(partsPerRequest()).toEqual([
			['i0.pdf', 'i1-a.pdf', 'i1-b.pdf', 'i1-c.pdf'],
			['i2-a.pdf', 'i2-b.pdf', 'i2-c.pdf', 'i3.pdf'],
			['i4-a.pdf', 'i4-b.pdf', 'i4-c.pdf', 'i4-d.pdf', 'i4-e.pdf'],
		]);
		expect(result.items.map((i) => [(i.pairedItem as { item: number }).item, i.json.name, i.json.binary_field])).toEqual([
			[0, 'i0.pdf', 'a'],
			[1, 'i1-a.pdf', 'a'],
			[1, 'i1-b.pdf', 'b'],
			[1, 'i1-c.pdf', 'c'],
			[2, 'i2-a.pdf', 'a'],
			[2, 'i2-b.pdf', 'b'],
			[2, 'i2-c.pdf', 'c'],
			[3, 'i3.pdf', 'a'],
			[4, 'i4-a.pdf', 'a'],
			[4, 'i4-b.pdf', 'b'],
			[4, 'i4-c.pdf', 'c'],
			[4, 'i4-d.pdf', 'd'],
			[4, 'i4-e.pdf', 'e'],
		]);
		for (const item of result.items) expect(storedShaOf(item)).toBe(sha256(bytesOf(String(item.json.name).replace(/\.pdf$/, ''))));
	});

	test('Max Request Size bounds the bytes of a request; a file over it goes on its own', async () => {
		const KiB = 1024;
		const result = await run({
			parameters: upload({ maxRequestMiB: 1 }),
			items: [doc('s0.pdf', 's0', 400 * KiB), doc('s1.pdf', 's1', 400 * KiB), doc('s2.pdf', 's2', 400 * KiB), doc('big.pdf', 'big', 1100 * KiB), doc('s3.pdf', 's3', 120 * KiB)],
		});
		expect(result.error).toBeUndefined();
		expect(partsPerRequest()).toEqual([['s0.pdf', 's1.pdf'], ['s2.pdf'], ['big.pdf'], ['s3.pdf']]);
		expect(uploads().map((r) => r.parts!.reduce((sum, p) => sum + p.size, 0))).toEqual([800 * KiB, 400 * KiB, 1100 * KiB, 120 * KiB]);
		expect(result.items.map((i) => i.json.name)).toEqual(['s0.pdf', 's1.pdf', 's2.pdf', 'big.pdf', 's3.pdf']);
	});

	test('two items’ files of the same name never share a request (DocFlow names files, not items); each gets its own', async () => {
		const result = await run({
			parameters: upload(),
			items: [doc('scan.pdf', 'A'), doc('other.pdf', 'B'), doc('scan.pdf', 'C'), doc('third.pdf', 'D'), doc('scan.pdf', 'E')],
		});
		expect(result.error).toBeUndefined();
		expect(partsPerRequest()).toEqual([['scan.pdf', 'other.pdf'], ['scan.pdf', 'third.pdf'], ['scan.pdf']]);
		expect(result.items.map(storedShaOf)).toEqual(['A', 'B', 'C', 'D', 'E'].map((tag) => sha256(bytesOf(tag))));
		eachStoredOnce(['A', 'B', 'C', 'D', 'E']);
	});

	test('items that cannot share a request go in separate ones: workspace, options, batch; output stays in item order', async () => {
		const items: InputItem[] = [
			{ ...doc('w1-a.pdf'), json: { tag: 'w1-a.pdf', ws: WORKSPACE_ID, cat: '', batch: '' } },
			{ ...doc('w2-a.pdf'), json: { tag: 'w2-a.pdf', ws: '2234567890', cat: '', batch: '' } },
			{ ...doc('w1-b.pdf'), json: { tag: 'w1-b.pdf', ws: WORKSPACE_ID, cat: '', batch: '' } },
			{ ...doc('w1-receipt.pdf'), json: { tag: 'w1-receipt.pdf', ws: WORKSPACE_ID, cat: 'receipt', batch: '' } },
			{ ...doc('w2-b.pdf'), json: { tag: 'w2-b.pdf', ws: '2234567890', cat: '', batch: '' } },
			{ ...doc('w1-mine.pdf'), json: { tag: 'w1-mine.pdf', ws: WORKSPACE_ID, cat: '', batch: 'my-batch' } },
			{ ...doc('w1-c.pdf'), json: { tag: 'w1-c.pdf', ws: WORKSPACE_ID, cat: '', batch: '' } },
		];
		const result = await run({
			parameters: upload(
				{ category: '={{ $json.cat }}', batchNumber: '={{ $json.batch }}' },
				{ workspace: { __rl: true, mode: 'id', value: '={{ $json.ws }}' } },
			),
			items,
		});
		expect(result.error).toBeUndefined();
		expect(uploads().map((r) => [r.query.workspace_id, r.query.category ?? '', r.query.batch_number === 'my-batch' ? 'my-batch' : 'run', r.parts!.map((p) => p.filename)])).toEqual([
			[WORKSPACE_ID, '', 'run', ['w1-a.pdf', 'w1-b.pdf', 'w1-c.pdf']],
			['2234567890', '', 'run', ['w2-a.pdf', 'w2-b.pdf']],
			[WORKSPACE_ID, 'receipt', 'run', ['w1-receipt.pdf']],
			[WORKSPACE_ID, '', 'my-batch', ['w1-mine.pdf']],
		]);
		expect(result.items.map((i) => [i.pairedItem, i.json.name, i.json.workspace_id])).toEqual(
			items.map((item, i) => [{ item: i }, (item.binary!.data as { fileName: string }).fileName, item.json!.ws]),
		);
		expect(result.items.map(storedShaOf)).toEqual(items.map((item) => sha256(bytesOf(String(item.json!.tag)))));
	});

	test.each([
		['version 1.1 (before combining): one request per item', 1.1, {}, 3],
		['version 1.1 with Combine Uploads turned on', 1.1, { combineUploads: true }, 1],
		['version 1.2 with Combine Uploads turned off', 1.2, { combineUploads: false }, 3],
		['version 1.2, the default', 1.2, {}, 1],
	] as const)('%s', async (_name, typeVersion, options, requests) => {
		const result = await run({ parameters: upload(options), items: docs(3), typeVersion });
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(requests);
		expect(result.items.map((i) => i.json.name)).toEqual(['doc-0.pdf', 'doc-1.pdf', 'doc-2.pdf']);
		eachStoredOnce(['doc-0.pdf', 'doc-1.pdf', 'doc-2.pdf']);
	});

	test('File URLs are not combined: DocFlow names a URL’s file itself, so each item keeps its own request', async () => {
		const result = await run({
			parameters: upload({}, { inputType: 'url', fileUrls: '={{ $json.url }}' }),
			items: [{ json: { url: 'https://example.com/a.pdf' } }, { json: { url: 'https://example.com/b.pdf' } }],
		});
		expect(result.error).toBeUndefined();
		expect(uploads().map((r) => r.json)).toEqual([{ urls: ['https://example.com/a.pdf'] }, { urls: ['https://example.com/b.pdf'] }]);
	});

	test('with Batching (4 items at once) the requests are the same: one per 10 files', async () => {
		const result = await run({ parameters: upload({ batching: { batch: { itemsPerBatch: 4 } } }), items: docs(23) });
		expect(result.error).toBeUndefined();
		expect(partsPerRequest().map((parts) => parts.length)).toEqual([10, 10, 3]);
		expect(result.items.map((i) => i.pairedItem)).toEqual(Array.from({ length: 23 }, (_, item) => ({ item })));
		expect(result.items.map(storedShaOf)).toEqual(Array.from({ length: 23 }, (_, i) => sha256(bytesOf(`doc-${i}.pdf`))));
	});

	test('Wait for Completion: one poll per batch for all items, each item’s results on its own output item', async () => {
		env.emulator.setStepMs(10);
		const result = await run({
			parameters: upload({ pollIntervalSeconds: 0.3 }, { waitForCompletion: true }),
			items: docs(12, 'invoice'),
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		expect(fetches()).toHaveLength(1);
		expect(result.items.map((i) => [i.pairedItem, i.json.file_name, i.json.status])).toEqual(
			Array.from({ length: 12 }, (_, i) => [{ item: i }, `invoice-${i}.pdf`, 'success']),
		);
		expect(result.items[3].json.fields).toMatchObject({ 'Invoice Number': '28737000' });
	});
});

describe('Combined uploads: a file DocFlow refuses fails only its own item', () => {
	const items = () => [doc('good-0.pdf'), doc('scan-unaccepted.pdf'), doc('good-2.pdf')];

	test('left out of DocFlow’s answer: without Continue On Fail the run stops naming that item', async () => {
		const result = await run({ parameters: upload(), items: items() });
		expect(uploads()).toHaveLength(1);
		expect(result.error?.message).toMatch(/^DocFlow did not accept “scan-unaccepted\.pdf” \(batch \d{19}\) \[item 1\]$/);
		expect(env.emulator.tasks().map((t) => t.name)).toEqual(['good-0.pdf', 'good-2.pdf']);
	});

	test('left out of DocFlow’s answer, Continue (using regular output): its error on item 1, the others intact and in order', async () => {
		const result = await run({ parameters: upload(), items: items(), continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(result.items.map((i) => [i.pairedItem, i.json.name ?? i.json.error])).toEqual([
			[{ item: 0 }, 'good-0.pdf'],
			[{ item: 1 }, expect.stringMatching(/did not accept “scan-unaccepted\.pdf”.*\[item 1\]$/)],
			[{ item: 2 }, 'good-2.pdf'],
		]);
		expect(result.items[1].json).toMatchObject({ workspace_id: WORKSPACE_ID, batch_number: uploads()[0].query.batch_number });
		expect([storedShaOf(result.items[0]), storedShaOf(result.items[2])]).toEqual([sha256(bytesOf('good-0.pdf')), sha256(bytesOf('good-2.pdf'))]);
	});

	test('left out of DocFlow’s answer, Continue (using error output): item 1 on the error output, the others on success', async () => {
		const result = await run({ parameters: upload(), items: items(), onError: 'continueErrorOutput' });
		expect(result.items.map((i) => [i.pairedItem, i.json.name])).toEqual([
			[{ item: 0 }, 'good-0.pdf'],
			[{ item: 2 }, 'good-2.pdf'],
		]);
		expect(result.errorItems).toHaveLength(1);
		expect(result.errorItems[0].pairedItem).toEqual({ item: 1 });
		expect(result.errorItems[0].json.error).toMatchObject({
			message: expect.stringMatching(/did not accept “scan-unaccepted\.pdf”.*\[item 1\]$/),
			workspace_id: WORKSPACE_ID,
		});
	});

	const refused = () => [doc('fine-0.pdf'), doc('fine-1.pdf'), doc('corrupt-2.pdf'), doc('fine-3.pdf')];

	test('DocFlow refuses the whole combined request for one file: the items go again one by one, only that one fails (DocFlow’s code, message, its own trace ID)', async () => {
		const result = await run({ parameters: upload(), items: refused(), continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(partsPerRequest()).toEqual([['fine-0.pdf', 'fine-1.pdf', 'corrupt-2.pdf', 'fine-3.pdf'], ['fine-0.pdf'], ['fine-1.pdf'], ['corrupt-2.pdf'], ['fine-3.pdf']]);
		expect(uploads().map((r) => r.code)).toEqual([40004, 200, 200, 40004, 200]);
		eachStoredOnce(['fine-0.pdf', 'fine-1.pdf', 'fine-3.pdf']);
		expect(result.items.map((i) => [i.pairedItem, i.json.name ?? i.json.error])).toEqual([
			[{ item: 0 }, 'fine-0.pdf'],
			[{ item: 1 }, 'fine-1.pdf'],
			[{ item: 2 }, `DocFlow refused the request to file/upload (DocFlow code 40004, “file is corrupt and cannot be read: corrupt-2.pdf”, HTTP 200, trace ID ${uploads()[3].traceId}) [item 2]`],
			[{ item: 3 }, 'fine-3.pdf'],
		]);
		expect(result.items[2].json).toMatchObject({ docflow_code: 40004, trace_id: uploads()[3].traceId });
	});

	test('the same, Continue (using error output), and without Continue On Fail', async () => {
		let result = await run({ parameters: upload(), items: refused(), onError: 'continueErrorOutput' });
		expect(result.items.map((i) => [(i.pairedItem as { item: number }).item, i.json.name])).toEqual([
			[0, 'fine-0.pdf'],
			[1, 'fine-1.pdf'],
			[3, 'fine-3.pdf'],
		]);
		expect(result.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 2 }, expect.objectContaining({ message: expect.stringMatching(/corrupt-2\.pdf.*\[item 2\]$/), docflow_code: 40004 })],
		]);

		env.emulator.reset();
		result = await run({ parameters: upload(), items: refused() });
		expect(result.error?.message).toMatch(/^DocFlow refused the request to file\/upload \(DocFlow code 40004, “file is corrupt and cannot be read: corrupt-2\.pdf”.*\[item 2\]$/);
		// Items 0 and 1 went before the refused one; item 3 never did: the run had stopped.
		expect(env.emulator.tasks().map((t) => t.name)).toEqual(['fine-0.pdf', 'fine-1.pdf']);
		expect(partsPerRequest()).toEqual([['fine-0.pdf', 'fine-1.pdf', 'corrupt-2.pdf', 'fine-3.pdf'], ['fine-0.pdf'], ['fine-1.pdf'], ['corrupt-2.pdf']]);
	});

	test('a refusal of the whole request for a reason all its items share (unknown workspace) is not re-sent item by item: every item fails in its own name', async () => {
		const result = await run({ parameters: upload({}, { workspace: workspace('404404') }), items: docs(3), continueOnFail: true });
		expect(uploads()).toHaveLength(1);
		expect(result.items.map((i) => [i.pairedItem, i.json.error])).toEqual(
			[0, 1, 2].map((item) => [{ item }, `DocFlow does not know this workspace (DocFlow code 40004, “工作空间不存在”, HTTP 200, trace ID ${uploads()[0].traceId}) [item ${item}]`]),
		);
	});
});

describe('Combined uploads: stopping the execution', () => {
	test('a combined request in flight is aborted within a second; nothing more reaches DocFlow, no output and no error items', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'delay', ms: 5000 });
		const result = await run({ parameters: upload({ maxRetrySeconds: 60 }), items: docs(15), cancelAfterMs: 800 });
		expect(result.cancelledAt).toBeDefined();
		expect(result.endedAt - result.cancelledAt!).toBeLessThan(1000);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(env.emulator.requests.filter((r) => r.receivedAt > result.cancelledAt! + 5)).toEqual([]);
		expect(uploads()).toHaveLength(1);
		expect(uploads()[0].parts).toHaveLength(10);
		expect(fetches()).toHaveLength(0);
		expect(result.run.status).toBe('canceled');
		expect(result.error?.message).toBe('The execution was stopped while DocFlow was working');
		expect(result.items).toEqual([]);
		expect(result.errorItems).toEqual([]);
	});
});

describe('Combined uploads: bad limits are refused before any request', () => {
	const options = { maxFilesPerRequest: '={{ $json.max }}', maxRequestMiB: '={{ $json.mib }}' };
	const items = (): InputItem[] => [
		{ ...doc('ok-0.pdf'), json: { max: 10, mib: 100 } },
		{ ...doc('bad-1.pdf'), json: { max: 0, mib: 100 } },
		{ ...doc('bad-2.pdf'), json: { max: 10, mib: 'lots' } },
		{ ...doc('ok-3.pdf'), json: { max: 10, mib: 100 } },
	];

	test('without Continue On Fail: the first bad item stops the run, nothing was sent', async () => {
		const result = await run({ parameters: upload(options), items: items() });
		expect(result.error?.message).toBe('Max Files per Request is 0, not a whole number of files, at least 1 (default 10) [item 1]');
		expect(result.error?.description).toMatch(/Set Max Files per Request in the node's Options/);
		expect(env.emulator.requests).toEqual([]);
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)('%s: the bad items fail on their own, the good ones go in one request', async (onError) => {
		const result = await run({ parameters: upload(options), items: items(), onError });
		expect(partsPerRequest()).toEqual([['ok-0.pdf', 'ok-3.pdf']]);
		const errors = onError === 'continueErrorOutput' ? result.errorItems.map((i) => [i.pairedItem, (i.json.error as { message: string }).message]) : result.items.filter((i) => i.json.error).map((i) => [i.pairedItem, i.json.error]);
		expect(errors).toEqual([
			[{ item: 1 }, 'Max Files per Request is 0, not a whole number of files, at least 1 (default 10) [item 1]'],
			[{ item: 2 }, 'Max Request Size (MiB) is "lots", not a number of MiB above 0 (default 100) [item 2]'],
		]);
		expect(result.items.filter((i) => !i.json.error).map((i) => [i.pairedItem, i.json.name])).toEqual([
			[{ item: 0 }, 'ok-0.pdf'],
			[{ item: 3 }, 'ok-3.pdf'],
		]);
	});
});
