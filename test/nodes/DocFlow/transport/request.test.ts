/**
 * The retry policy of the one request function, through the engine, with the emulator's
 * fault injection: what is retried, how long it waits, and that every file arrives once.
 */
import { runDocflow } from '../../../harness/engine.ts';
import {
	credentialFor,
	sample,
	seedUpload,
	sha256,
	useEmulator,
	workspace,
} from '../../../harness/fixtures.ts';

const env = useEmulator();

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));
const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

const doc = (name: string) => ({
	binary: {
		data: { data: Buffer.concat([sample('simple.pdf'), Buffer.from(name)]), fileName: name, mimeType: 'application/pdf' },
	},
});

const upload = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	options: { maxRetrySeconds: 30, ...options },
	...extra,
});

/** Every file the emulator stored, counted by content: each must be there exactly once. */
function storedOnce(names: string[]) {
	const stored = env.emulator.tasks().filter((t) => t.source === 'multipart');
	expect(stored.map((t) => t.name).sort()).toEqual([...names].sort());
	for (const name of names) {
		const expected = sha256(Buffer.concat([sample('simple.pdf'), Buffer.from(name)]));
		expect(stored.filter((t) => t.sha256 === expected)).toHaveLength(1);
	}
}

describe('Retry policy: refused before processing → sent again', () => {
	test('429 with Retry-After: waits as long as DocFlow asks, then the file goes up once', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 429, retryAfter: 1 });
		const result = await runDocflow({
			parameters: upload(),
			credentials: credentialFor(env.emulator),
			items: [doc('a.pdf')],
		});
		expect(result.error).toBeUndefined();
		expect(uploads().map((r) => r.status)).toEqual([429, 200]);
		expect(uploads()[1].receivedAt - uploads()[0].receivedAt).toBeGreaterThanOrEqual(1000);
		expect(fetches()).toHaveLength(0);
		storedOnce(['a.pdf']);
		expect(result.items[0].json.file_id).toBe(env.emulator.tasks()[0].fileId);
	});

	test.each([
		['423', { kind: 'status', status: 423 }],
		['503', { kind: 'status', status: 503 }],
		['DocFlow code 900', { kind: 'business', code: 900, msg: '系统繁忙，请稍后重试' }],
	] as const)('%s: retried with backoff, no look-up needed', async (_name, fault) => {
		env.emulator.injectFault({ path: 'file/upload', times: 2, ...fault });
		const result = await runDocflow({
			parameters: upload(),
			credentials: credentialFor(env.emulator, { authentication: 'signature' }),
			items: [doc('b.pdf')],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(3);
		expect(uploads().every((r) => r.auth.valid)).toBe(true);
		// Each attempt is signed afresh over the same bytes.
		expect(new Set(uploads().map((r) => r.bodySha256)).size).toBe(1);
		expect(fetches()).toHaveLength(0);
		storedOnce(['b.pdf']);
	});

	test('reads (file/fetch) are retried on any transient failure, 500 and HTML pages included', async () => {
		const seeded = await seedUpload(env.emulator, ['x.pdf']);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/fetch', kind: 'status', status: 500 });
		env.emulator.injectFault({ path: 'file/fetch', kind: 'html' });
		env.emulator.injectFault({ path: 'file/fetch', kind: 'truncated-json' });
		const result = await runDocflow({
			parameters: { resource: 'file', operation: 'fetchBatch', workspace: workspace(), batchNumber: seeded.batch_number },
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(fetches().map((r) => r.fault ?? 'ok')).toEqual(['status', 'html', 'truncated-json', 'ok']);
		expect(result.items.map((i) => i.json.name)).toEqual(['x.pdf']);
	});
});

describe('No duplicate uploads: when DocFlow may have taken the file, the batch is checked first', () => {
	test.each([
		['the connection is reset after DocFlow stored the files', { kind: 'reset-after' }, {}],
		['DocFlow stored the files and the answer broke off', { kind: 'truncated-json' }, {}],
		['DocFlow stored the files and never answered (request timeout)', { kind: 'hang-after' }, { requestTimeoutSeconds: 1 }],
	] as const)('%s: found in the batch, not sent again', async (_name, fault, options) => {
		env.emulator.injectFault({ path: 'file/upload', ...fault });
		const result = await runDocflow({
			parameters: upload(options, { binaryPropertyName: 'data,second' }),
			credentials: credentialFor(env.emulator),
			items: [
				{
					binary: {
						data: doc('c1.pdf').binary.data,
						second: doc('c2.pdf').binary.data,
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(fetches()).toHaveLength(1);
		expect(fetches()[0].query.batch_number).toBe(uploads()[0].query.batch_number);
		storedOnce(['c1.pdf', 'c2.pdf']);
		const stored = env.emulator.tasks();
		expect(result.items.map((i) => [i.json.name, i.json.file_id, i.json.task_id])).toEqual(
			stored.map((t) => [t.name, t.fileId, t.taskId]),
		);
	});

	test.each([
		['a gateway error (502, HTML page) before DocFlow processed it', { kind: 'html' }],
		['a 500 before DocFlow processed it', { kind: 'status', status: 500 }],
		['the connection reset before DocFlow read it', { kind: 'reset-before' }],
	] as const)('%s: not in the batch, so sent again, once', async (_name, fault) => {
		env.emulator.injectFault({ path: 'file/upload', ...fault });
		const result = await runDocflow({
			parameters: upload(),
			credentials: credentialFor(env.emulator),
			items: [doc('d.pdf')],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		expect(fetches()).toHaveLength(1);
		storedOnce(['d.pdf']);
	});

	test('a run of many items with faults in between: every file exactly once, in one batch', async () => {
		const names = Array.from({ length: 8 }, (_, i) => `run-${i}.pdf`);
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 429, retryAfter: 0 });
		env.emulator.injectFault({ path: 'file/upload', kind: 'reset-after' });
		env.emulator.injectFault({ path: 'file/upload', kind: 'html' });
		env.emulator.injectFault({ path: 'file/upload', kind: 'truncated-json' });
		const result = await runDocflow({
			parameters: upload({ batching: { batch: { itemsPerBatch: 3 } } }),
			credentials: credentialFor(env.emulator),
			items: names.map(doc),
		});
		expect(result.error).toBeUndefined();
		storedOnce(names);
		expect(new Set(env.emulator.tasks().map((t) => t.batchNumber)).size).toBe(1);
		expect(result.items.map((i) => i.json.name)).toEqual(names);
		expect(result.items.map((i) => i.pairedItem)).toEqual(names.map((_, item) => ({ item })));
	});

	test('a batch the user named, already holding a file of the same name: the old one is not mistaken for the new', async () => {
		const earlier = await seedUpload(env.emulator, ['same.pdf']);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/upload', kind: 'html' });
		const result = await runDocflow({
			parameters: upload({ batchNumber: earlier.batch_number }),
			credentials: credentialFor(env.emulator),
			items: [doc('same.pdf')],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		const inBatch = env.emulator.tasks().filter((t) => t.batchNumber === earlier.batch_number);
		expect(inBatch).toHaveLength(2);
		expect(result.items[0].json.file_id).toBe(inBatch[1].fileId);
		expect(result.items[0].json.file_id).not.toBe(earlier.files[0].id);
	});

	test('Retry whose answer got lost is not sent twice', async () => {
		const seeded = await seedUpload(env.emulator, ['r-fail.pdf']);
		env.emulator.finishAll();
		env.emulator.injectFault({ path: 'file/retry', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: { resource: 'file', operation: 'retry', workspace: workspace(), taskId: seeded.files[0].task_id },
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(env.emulator.requests.filter((r) => r.path.endsWith('/file/retry'))).toHaveLength(1);
		expect(env.emulator.tasks()[0].attempts).toBe(2);
	});
});

describe('Bounded: attempts and time', () => {
	test('429 that does not end: gives up after Max Retries + 1 attempts with a rate-limit error', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 429, retryAfter: 0, times: 10 });
		const result = await runDocflow({
			parameters: upload({ maxRetries: 2 }),
			credentials: credentialFor(env.emulator),
			items: [doc('e.pdf')],
		});
		expect(uploads()).toHaveLength(3);
		expect(result.error?.message).toMatch(/^DocFlow is limiting requests after 3 attempts \(.*HTTP 429.*\) \[item 0\]$/);
		expect(env.emulator.tasks()).toHaveLength(0);
	});

	test('Retry-After longer than Max Retry Time: no pointless wait', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 429, retryAfter: 3600 });
		const started = Date.now();
		const result = await runDocflow({
			parameters: upload({ maxRetrySeconds: 2 }),
			credentials: credentialFor(env.emulator),
			items: [doc('f.pdf')],
		});
		expect(Date.now() - started).toBeLessThan(2000);
		expect(result.error?.message).toMatch(/limiting requests/);
	});

	test('connection refused: retried, then a message about the address', async () => {
		const result = await runDocflow({
			parameters: upload({ maxRetries: 1 }),
			credentials: credentialFor(env.emulator, { baseUrl: 'http://127.0.0.1:9' }),
			items: [doc('g.pdf')],
		});
		expect(result.error?.message).toBe('Could not connect to DocFlow: connection refused after 2 attempts [item 0]');
		expect(result.error?.description).toMatch(/Region \(or the Base URL/);
	});
});
