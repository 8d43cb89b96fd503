/**
 * The upload ledger under faults, with combined requests (several items' files in one request).
 * Every fault kind on a combined request: each document is stored exactly once, each item gets
 * the file holding its own bytes, a file DocFlow refuses fails only its own item (on either
 * Continue On Fail output), and the output stays in item order. Then the ledger's harder cases:
 * two combined requests losing their answers with a same-named file in each, a batch the user
 * named that already holds that name, and a file that cannot be read from n8n's storage while a
 * combined request is being sent.
 */
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataConfig } from 'n8n-core';
import type { INodeExecutionData } from 'n8n-workflow';

import { runDocflow } from '../../../harness/engine.ts';
import type { InputItem, RunOptions, RunResult } from '../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, sample, seedUpload, sha256, useEmulator, workspace } from '../../../harness/fixtures.ts';

const env = useEmulator();

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));
const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

const bytesOf = (tag: string) => Buffer.concat([sample('simple.pdf'), Buffer.from(`document ${tag}`)]);
const doc = (name: string, tag = name): InputItem => ({
	json: { tag },
	binary: { data: { data: bytesOf(tag), fileName: name, mimeType: 'application/pdf' } },
});

const upload = (options: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	waitForCompletion: false,
	options: { maxRetrySeconds: 30, ...options },
});

const run = async (options: Omit<RunOptions, 'credentials'> & Partial<Pick<RunOptions, 'credentials'>>) =>
	await runDocflow({ credentials: credentialFor(env.emulator), typeVersion: 1.2, ...options });

const storedShaOf = (item: INodeExecutionData) => env.emulator.tasks().find((t) => t.fileId === item.json.file_id)?.sha256;

/** Every tag's document stored exactly once (by its bytes), and `alsoStored` files besides. */
function eachStoredOnce(tags: string[], alsoStored = 0) {
	const stored = env.emulator.tasks().filter((t) => t.source === 'multipart');
	expect(stored).toHaveLength(tags.length + alsoStored);
	for (const tag of tags) expect(stored.filter((t) => t.sha256 === sha256(bytesOf(tag)))).toHaveLength(1);
}

/** The output of both Continue On Fail settings as [item, file name or error message], in output order. */
function outcomes(result: RunResult, onError: 'continueRegularOutput' | 'continueErrorOutput') {
	const good = result.items.filter((i) => i.json.error === undefined);
	const bad = onError === 'continueErrorOutput' ? result.errorItems : result.items.filter((i) => i.json.error !== undefined);
	if (onError === 'continueErrorOutput') expect(result.items.every((i) => i.json.error === undefined)).toBe(true);
	const message = (i: INodeExecutionData) =>
		onError === 'continueErrorOutput' ? (i.json.error as { message: string }).message : (i.json.error as string);
	return {
		good: good.map((i) => [(i.pairedItem as { item: number }).item, i.json.name]),
		bad: bad.map((i) => [(i.pairedItem as { item: number }).item, message(i)]),
	};
}

const FAULTS = [
	// DocFlow never saw it, or answered before processing: looked up (where unknown), sent again once
	['reset-before (connection reset before DocFlow read it)', { kind: 'reset-before' }, {}, { uploads: 2, fetches: 1 }],
	['500 (a gateway error: may or may not have been processed)', { kind: 'status', status: 500 }, {}, { uploads: 2, fetches: 1 }],
	['502 with an HTML page', { kind: 'html' }, {}, { uploads: 2, fetches: 1 }],
	['429 with Retry-After 0 (refused before processing: no look-up)', { kind: 'status', status: 429, retryAfter: 0 }, {}, { uploads: 2, fetches: 0 }],
	// DocFlow stored the files and the answer got lost: found in the batch, only the refused file goes again
	['reset-after (DocFlow stored the files, then the connection broke)', { kind: 'reset-after' }, {}, { uploads: 2, fetches: 1 }],
	['truncated-json (the answer broke off)', { kind: 'truncated-json' }, {}, { uploads: 2, fetches: 1 }],
	['hang-after with Request Timeout 1 s (DocFlow stored the files, never answered)', { kind: 'hang-after' }, { requestTimeoutSeconds: 1 }, { uploads: 2, fetches: 1 }],
] as const;

describe('Every fault kind on a combined request: each file stored once, a refused file fails only its item, both outputs, item order', () => {
	const items = () => [doc('a.pdf'), doc('b.pdf'), doc('c-unaccepted.pdf'), doc('d.pdf'), doc('e.pdf')];

	test.each(FAULTS.flatMap(([name, fault, options, counts]) => (['continueRegularOutput', 'continueErrorOutput'] as const).map((onError) => [name, onError, fault, options, counts] as const)))(
		'%s, %s',
		async (_name, onError, fault, options, counts) => {
			env.emulator.injectFault({ path: 'file/upload', ...fault });
			const result = await run({ parameters: upload(options), items: items(), onError });
			expect(result.error).toBeUndefined();
			expect(uploads()[0].parts!.map((p) => p.filename)).toEqual(['a.pdf', 'b.pdf', 'c-unaccepted.pdf', 'd.pdf', 'e.pdf']);
			expect(uploads()).toHaveLength(counts.uploads);
			expect(fetches()).toHaveLength(counts.fetches);
			expect(new Set(uploads().map((r) => r.query.batch_number)).size).toBe(1);
			if (counts.fetches > 0) expect(fetches()[0].query.batch_number).toBe(uploads()[0].query.batch_number);
			// DocFlow keeps every document once; it never takes the one it cannot accept
			eachStoredOnce(['a.pdf', 'b.pdf', 'd.pdf', 'e.pdf']);

			const { good, bad } = outcomes(result, onError);
			expect(good).toEqual([
				[0, 'a.pdf'],
				[1, 'b.pdf'],
				[3, 'd.pdf'],
				[4, 'e.pdf'],
			]);
			expect(bad).toEqual([[2, expect.stringMatching(/c-unaccepted\.pdf.*\[item 2\]$/)]]);
			if (onError === 'continueRegularOutput') {
				expect(result.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3, 4]);
			}
			for (const item of result.items.filter((i) => i.json.error === undefined)) {
				expect(storedShaOf(item)).toBe(sha256(bytesOf(String(item.json.name))));
			}
		},
	);

	test('reset-after: the look-up finds the stored files, only the missing (refused) one is sent again, and DocFlow’s refusal of it names that item', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'reset-after' });
		const result = await run({ parameters: upload(), items: items(), continueOnFail: true });
		expect(uploads().map((r) => r.parts!.map((p) => p.filename))).toEqual([
			['a.pdf', 'b.pdf', 'c-unaccepted.pdf', 'd.pdf', 'e.pdf'],
			['c-unaccepted.pdf'],
		]);
		expect(result.items[2].json).toMatchObject({
			error: `DocFlow refused the request to file/upload (DocFlow code 40004, “file upload failed: c-unaccepted.pdf”, HTTP 200, trace ID ${uploads()[1].traceId}) [item 2]`,
			docflow_code: 40004,
		});
	});

	test('without Continue On Fail: the run stops with the refused item’s error, every other file stored once', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'truncated-json' });
		const result = await run({ parameters: upload(), items: items() });
		expect(result.error?.message).toMatch(/c-unaccepted\.pdf.*\[item 2\]$/);
		eachStoredOnce(['a.pdf', 'b.pdf', 'd.pdf', 'e.pdf']);
	});
});

describe('Two combined requests in flight, a same-named file in each, answers lost', () => {
	// Max 2 files per request and 4 items at once: [same.pdf, b.pdf] and [same.pdf, d.pdf] go out together.
	const parallel = (options: Record<string, unknown> = {}) => upload({ maxFilesPerRequest: 2, batching: { batch: { itemsPerBatch: 4 } }, ...options });
	const items = () => [doc('same.pdf', 'A'), doc('b.pdf', 'B'), doc('same.pdf', 'C'), doc('d.pdf', 'D')];

	test('one answer late, the other lost: the lost request waits for the other’s answer and finds its own file; nothing sent again', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'delay', ms: 400 });
		env.emulator.injectFault({ path: 'file/upload', kind: 'reset-after' });
		const result = await run({ parameters: parallel(), items: items() });
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		expect(uploads().map((r) => r.parts!.map((p) => p.filename)).sort()).toEqual([
			['same.pdf', 'b.pdf'],
			['same.pdf', 'd.pdf'],
		]);
		eachStoredOnce(['A', 'B', 'C', 'D']);
		expect(result.items.map(storedShaOf)).toEqual(['A', 'B', 'C', 'D'].map((tag) => sha256(bytesOf(tag))));
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'both lost, %s: the two same-named files’ items fail with “may have been uploaded — check batch N”, the others get their files; nothing is sent twice',
		async (onError) => {
			env.emulator.injectFault({ path: 'file/upload', kind: 'reset-after', times: 2 });
			const result = await run({ parameters: parallel(), items: items(), onError });
			expect(result.error).toBeUndefined();
			expect(uploads()).toHaveLength(2);
			eachStoredOnce(['A', 'B', 'C', 'D']);
			const batch = uploads()[0].query.batch_number;
			const { good, bad } = outcomes(result, onError);
			expect(good).toEqual([
				[1, 'b.pdf'],
				[3, 'd.pdf'],
			]);
			expect(bad).toEqual([
				[0, `“same.pdf” may have been uploaded — check batch ${batch} [item 0]`],
				[2, `“same.pdf” may have been uploaded — check batch ${batch} [item 2]`],
			]);
			for (const item of result.items.filter((i) => i.json.error === undefined)) {
				expect(storedShaOf(item)).toBe(sha256(bytesOf(String(item.json.name) === 'b.pdf' ? 'B' : 'D')));
			}
		},
	);

	test('both lost, in a batch the user named that already holds an older “same.pdf”: the older file is nobody’s, neither same-named item guesses', async () => {
		const earlier = await seedUpload(env.emulator, ['same.pdf'], { batch_number: '1795376200780306926' });
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/upload', kind: 'truncated-json', times: 2 });
		const result = await run({ parameters: parallel({ batchNumber: earlier.batch_number }), items: items(), continueOnFail: true });
		expect(uploads()).toHaveLength(2);
		eachStoredOnce(['A', 'B', 'C', 'D'], 1);
		expect(result.items.map((i) => i.json.file_id ?? i.json.error)).toEqual([
			expect.stringMatching(/^“same\.pdf” may have been uploaded — check batch 1795376200780306926 \[item 0\]$/),
			expect.any(String),
			expect.stringMatching(/\[item 2\]$/),
			expect.any(String),
		]);
		expect(result.items.map((i) => i.json.file_id)).not.toContain(earlier.files[0].id);
		expect([storedShaOf(result.items[1]), storedShaOf(result.items[3])]).toEqual([sha256(bytesOf('B')), sha256(bytesOf('D'))]);
	});
});

describe('A file that cannot be read from n8n’s storage while a combined request is sent', () => {
	/** The file in n8n's filesystem binary storage holding exactly these bytes. */
	function storedFileWith(bytes: Buffer): string {
		const found: string[] = [];
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const path = join(dir, entry.name);
				if (entry.isDirectory()) walk(path);
				else if (statSync(path).size === bytes.length && readFileSync(path).equals(bytes)) found.push(path);
			}
		};
		walk(Container.get(BinaryDataConfig).localStoragePath);
		expect(found).toHaveLength(1);
		return found[0];
	}

	test.each(['simple', 'signature'] as const)(
		'%s authentication: that item fails with the local read error; the others’ files are looked up, then sent once',
		async (authentication) => {
			// A batch the user named is read before the first upload to it: while that read is slow,
			// item 1's file (already checked) disappears from n8n's storage.
			env.emulator.injectFault({ path: 'file/fetch', kind: 'delay', ms: 600 });
			const tags = ['r0.pdf', `gone-${authentication}.pdf`, 'r2.pdf'];
			const running = run({
				parameters: upload({ batchNumber: `read-${authentication}` }),
				credentials: credentialFor(env.emulator, { authentication }),
				binaryMode: 'filesystem',
				items: tags.map((tag) => doc(tag)),
				continueOnFail: true,
			});
			// This run's own batch read (not a late request of the previous test).
			const ownRead = () => fetches().some((r) => r.query.batch_number === `read-${authentication}`);
			for (let waited = 0; !ownRead() && waited < 5000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
			rmSync(storedFileWith(bytesOf(tags[1])));
			const result = await running;

			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => [i.pairedItem, i.json.name ?? i.json.error])).toEqual([
				[{ item: 0 }, 'r0.pdf'],
				[{ item: 1 }, `Could not read the file “gone-${authentication}.pdf” from n8n’s binary data storage [item 1]`],
				[{ item: 2 }, 'r2.pdf'],
			]);
			eachStoredOnce(['r0.pdf', 'r2.pdf']);
			// The broken request (none with signature: the body hash fails before sending), then the others again.
			const sent = uploads().map((r) => (r.parts ?? []).map((p) => p.filename));
			expect(sent.at(-1)).toEqual(['r0.pdf', 'r2.pdf']);
			expect(sent.length).toBe(authentication === 'signature' ? 1 : 2);
			// The batch read first, then the look-up of what the broken request may have left
			expect(fetches()).toHaveLength(2);
			expect(fetches().every((r) => r.query.batch_number === `read-${authentication}` && r.query.workspace_id === WORKSPACE_ID)).toBe(true);
		},
	);
});
