/**
 * The batch ledger through the engine: items running in parallel (Batching) upload files of the
 * same name into the same batch, and an answer gets lost after DocFlow stored the file. No file
 * ID may go to two items, no document may be lost or stored twice, and where the node cannot
 * tell whose file is whose, the item fails pointing at the batch instead of guessing.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { runDocflow } from '../../../harness/engine.ts';
import {
	WORKSPACE_ID,
	credentialFor,
	sample,
	seedUpload,
	sha256,
	useEmulator,
	workspace,
} from '../../../harness/fixtures.ts';

const env = useEmulator();

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));

/** Same name, different bytes: the tag makes each item's document its own. */
const content = (tag: string) => Buffer.concat([sample('simple.pdf'), Buffer.from(`document ${tag}`)]);
const doc = (fileName: string, tag: string) => ({
	binary: { data: { data: content(tag), fileName, mimeType: 'application/pdf' } },
});

const parallelUpload = (options: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	options: { batching: { batch: { itemsPerBatch: 2 } }, maxRetrySeconds: 30, ...options },
});

/** Every document the run sent is stored exactly once (by its bytes), and nothing else is. */
function eachStoredOnce(tags: string[], alsoStored = 0) {
	const stored = env.emulator.tasks().filter((t) => t.source === 'multipart');
	expect(stored).toHaveLength(tags.length + alsoStored);
	for (const tag of tags) expect(stored.filter((t) => t.sha256 === sha256(content(tag)))).toHaveLength(1);
}

/** The bytes DocFlow stored under the file ID an output item names. */
function storedBytesOf(item: INodeExecutionData): string | undefined {
	return env.emulator.tasks().find((t) => t.fileId === item.json.file_id)?.sha256;
}

/** Where the two same-named uploads go: the run's own batch, or one the user named that already holds a file of that name. */
const batches = [
	['the run’s own batch', async () => ({ options: {}, older: 0, olderId: undefined as string | undefined })],
	[
		'a batch the user named that already holds an older “same.pdf”',
		async () => {
			const earlier = await seedUpload(env.emulator, ['same.pdf'], { batch_number: '1795376200780306926' });
			env.emulator.clearRequests();
			return { options: { batchNumber: earlier.batch_number }, older: 1, olderId: earlier.files[0].id };
		},
	],
] as const;

describe('Batching, same file name, one answer lost: the lost item finds its own file', () => {
	test.each(
		batches.flatMap(([where, setup]) =>
			(['reset-after', 'truncated-json'] as const).map((kind) => [where, kind, setup] as const),
		),
	)('%s, %s: each item gets its own file ID, every document stored once, nothing sent again', async (_where, kind, setup) => {
		const { options, older, olderId } = await setup();
		// The first upload to arrive is answered late, the second loses its answer after DocFlow
		// stored it: the lost one looks the batch up while the other's answer is still on its way.
		env.emulator.injectFault({ path: 'file/upload', kind: 'delay', ms: 400 });
		env.emulator.injectFault({ path: 'file/upload', kind });
		const result = await runDocflow({
			parameters: parallelUpload(options),
			credentials: credentialFor(env.emulator),
			items: [doc('same.pdf', 'A'), doc('same.pdf', 'B')],
		});
		expect(result.error).toBeUndefined();
		expect(uploads().map((r) => r.fault)).toEqual(expect.arrayContaining(['delay', kind]));
		expect(uploads()).toHaveLength(2);
		eachStoredOnce(['A', 'B'], older);

		expect(result.items.map((i) => [i.pairedItem, i.json.name])).toEqual([
			[{ item: 0 }, 'same.pdf'],
			[{ item: 1 }, 'same.pdf'],
		]);
		const ids = result.items.map((i) => i.json.file_id);
		expect(new Set(ids).size).toBe(2);
		expect(ids).not.toContain(olderId);
		// Each item's file ID is the file holding that item's own bytes.
		expect(result.items.map(storedBytesOf)).toEqual([sha256(content('A')), sha256(content('B'))]);
	});
});

describe('Batching, same file name, both answers lost: neither item guesses', () => {
	test.each(batches)(
		'%s, Continue On Fail: both same-named items fail with “may have been uploaded — check batch N”, nothing is sent twice, the other item’s result is intact',
		async (_where, setup) => {
			const { options, older, olderId } = await setup();
			env.emulator.injectFault({ path: 'file/upload', kind: 'reset-after', times: 2 });
			const result = await runDocflow({
				parameters: parallelUpload(options),
				credentials: credentialFor(env.emulator),
				items: [doc('same.pdf', 'A'), doc('same.pdf', 'B'), doc('other.pdf', 'C')],
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			expect(uploads().map((r) => r.fault ?? 'answered')).toEqual(['reset-after', 'reset-after', 'answered']);
			eachStoredOnce(['A', 'B', 'C'], older);
			const batch = uploads()[0].query.batch_number;
			expect(new Set(uploads().map((r) => r.query.batch_number))).toEqual(new Set([batch]));

			expect(result.items).toHaveLength(3);
			for (const itemIndex of [0, 1]) {
				expect(result.items[itemIndex]).toEqual({
					json: expect.objectContaining({
						workspace_id: WORKSPACE_ID,
						batch_number: batch,
						error: `“same.pdf” may have been uploaded — check batch ${batch} [item ${itemIndex}]`,
						description: expect.stringContaining(`Look at batch ${batch} with Fetch Batch`),
						file_name: 'same.pdf',
					}),
					pairedItem: { item: itemIndex },
				});
				expect(result.items[itemIndex].json.file_id).toBeUndefined();
			}
			expect(result.items[2]).toEqual({
				json: expect.objectContaining({ name: 'other.pdf', batch_number: batch }),
				pairedItem: { item: 2 },
			});
			expect(storedBytesOf(result.items[2])).toBe(sha256(content('C')));
			expect(result.items[2].json.file_id).not.toBe(olderId);
		},
	);

	test('without Continue On Fail: the run stops with the first item’s “may have been uploaded” error after both items finished, neither document is sent again, and no request goes out after the node stopped', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'truncated-json', times: 2 });
		const result = await runDocflow({
			parameters: parallelUpload(),
			credentials: credentialFor(env.emulator),
			items: [doc('same.pdf', 'A'), doc('same.pdf', 'B')],
		});
		const sentWhenStopped = env.emulator.requests.length;
		const batch = uploads()[0].query.batch_number;
		expect(result.error?.message).toBe(`“same.pdf” may have been uploaded — check batch ${batch} [item 0]`);
		expect(result.error?.description).toMatch(/did not send the file again, to avoid a duplicate/);
		expect(uploads()).toHaveLength(2);
		eachStoredOnce(['A', 'B']);
		// Both items had finished when the run stopped: nothing of it goes on in the background.
		expect(env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'))).toHaveLength(2);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(env.emulator.requests).toHaveLength(sentWhenStopped);
	});
});
