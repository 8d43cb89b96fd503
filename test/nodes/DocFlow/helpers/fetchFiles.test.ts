/**
 * Paging through file/fetch does not stop at a short page while fewer files than `total` have
 * been read: a server may hand out fewer files per page than the node asks for.
 */
import { runDocflow } from '../../../harness/engine.ts';
import { credentialFor, sample, seedUpload, useEmulator, workspace } from '../../../harness/fixtures.ts';

const env = useEmulator({ stepMs: 20 });

const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

const names = Array.from({ length: 8 }, (_, i) => `page-${i}.pdf`);

describe('Paging past short pages', () => {
	test('Fetch Batch of 8 files from a server that gives at most 3 per page returns all 8', async () => {
		const seeded = await seedUpload(env.emulator, names);
		env.emulator.clearRequests();
		env.emulator.setMaxPageSize(3);
		const result = await runDocflow({
			parameters: { resource: 'file', operation: 'fetchBatch', workspace: workspace(), batchNumber: seeded.batch_number },
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.name)).toEqual(names);
		// Asked for 1000 a page, got 3, 3, 2: three pages, and no fourth.
		expect(fetches().map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '1000'],
			['2', '1000'],
			['3', '1000'],
		]);
	});

	test('Wait for Completion of 8 files from a server that gives at most 3 per page finishes, with all 8 results', async () => {
		env.emulator.setMaxPageSize(3);
		const result = await runDocflow({
			typeVersion: 1.1,
			parameters: {
				resource: 'file',
				operation: 'upload',
				workspace: workspace(),
				// A wait that missed files would run into this timeout (6 s) and fail.
				options: { pollIntervalSeconds: 0.05, timeoutMinutes: 0.1 },
			},
			credentials: credentialFor(env.emulator),
			items: names.map((name) => ({
				binary: { data: { data: Buffer.concat([sample('simple.pdf'), Buffer.from(name)]), fileName: name, mimeType: 'application/pdf' } },
			})),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.file_name, i.json.status])).toEqual(names.map((name) => [name, 'success']));
		// Every poll read the batch to its end: pages 1, 2 and 3 each time.
		const pages = fetches().map((r) => r.query.page);
		expect(pages.length % 3).toBe(0);
		expect(pages).toEqual(Array.from({ length: pages.length }, (_, i) => String((i % 3) + 1)));
	});
});
