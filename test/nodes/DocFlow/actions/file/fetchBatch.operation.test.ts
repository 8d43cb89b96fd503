import { runDocflow } from '../../../../harness/engine.ts';
import {
	WORKSPACE_ID,
	credentialFor,
	rawFetch,
	seedUpload,
	useEmulator,
	workspace,
} from '../../../../harness/fixtures.ts';

const env = useEmulator();

const fetchParameters = (extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'fetchBatch',
	workspace: workspace(),
	...extra,
});

const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

describe('File → Fetch Batch', () => {
	test('by batch number: one item per file, exactly as DocFlow returns it', async () => {
		const seeded = await seedUpload(env.emulator, ['invoice-1.pdf', 'receipt-2.pdf', 'contract-3.pdf']);
		env.emulator.finishAll();
		const expected = await rawFetch(env.emulator, { batch_number: seeded.batch_number });
		env.emulator.clearRequests();

		const result = await runDocflow({
			parameters: fetchParameters({ batchNumber: seeded.batch_number }),
			credentials: credentialFor(env.emulator),
			items: [{ json: {} }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual(expected.files);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(result.items[0].json).toMatchObject({
			name: 'invoice-1.pdf',
			recognition_status: 1,
			data: { fields: expect.arrayContaining([expect.objectContaining({ key: 'Invoice Number' })]) },
		});
		expect(fetches()).toHaveLength(1);
		expect(fetches()[0].query).toEqual({
			workspace_id: WORKSPACE_ID,
			batch_number: seeded.batch_number,
			page: '1',
			page_size: '1000',
		});
	});

	test.each([
		['fileId', 'file_id', (f: { id: string }) => f.id],
		['taskId', 'task_id', (f: { task_id: string }) => f.task_id],
	] as const)('by %s', async (lookUpBy, queryName, pick) => {
		const seeded = await seedUpload(env.emulator, ['a.pdf', 'b.pdf']);
		env.emulator.clearRequests();
		const wanted = seeded.files[1] as { id: string; task_id: string; name: string };
		const result = await runDocflow({
			parameters: fetchParameters({ lookUpBy, [lookUpBy]: `={{ $json.wanted }}` }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { wanted: pick(wanted as never) } }],
		});
		expect(result.error).toBeUndefined();
		expect(fetches()[0].query[queryName]).toBe(pick(wanted as never));
		expect(result.items.map((i) => i.json.name)).toEqual(['b.pdf']);
	});

	test('every filter and option becomes its query parameter', async () => {
		await seedUpload(env.emulator, ['receipt.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: fetchParameters({
				lookUpBy: 'filters',
				filters: {
					category: 'receipt',
					recognitionStatus: 1,
					verificationStatus: 0,
					updatedAfter: '2024-01-01T08:00:00.000+08:00',
					updatedBefore: '2099-12-31T23:59:59Z',
				},
				options: { includeDocumentText: true, includeTaskDetailUrl: true },
			}),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(fetches()[0].query).toEqual({
			workspace_id: WORKSPACE_ID,
			category: 'receipt',
			recognition_status: '1',
			verification_status: '0',
			start_time: '2024-01-01T00:00:00Z',
			end_time: '2099-12-31T23:59:59Z',
			with_document: 'true',
			with_task_detail_url: 'true',
			page: '1',
			page_size: '1000',
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.document).toBeDefined();
		expect(result.items[0].json.task_detail_url).toEqual(expect.any(String));
	});

	test('Return All follows the pages to the end; Limit stops early', async () => {
		const first = await seedUpload(env.emulator, Array.from({ length: 600 }, (_, i) => `p${i}.pdf`));
		await seedUpload(env.emulator, Array.from({ length: 601 }, (_, i) => `q${i}.pdf`), {
			batch_number: first.batch_number,
		});
		env.emulator.clearRequests();

		const all = await runDocflow({
			parameters: fetchParameters({ batchNumber: first.batch_number }),
			credentials: credentialFor(env.emulator),
		});
		expect(all.items).toHaveLength(1201);
		expect(new Set(all.items.map((i) => i.json.id)).size).toBe(1201);
		expect(fetches().map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '1000'],
			['2', '1000'],
		]);

		env.emulator.clearRequests();
		const limited = await runDocflow({
			parameters: fetchParameters({ batchNumber: first.batch_number, returnAll: false, limit: 5 }),
			credentials: credentialFor(env.emulator),
		});
		expect(limited.items.map((i) => i.json.name)).toEqual(['p0.pdf', 'p1.pdf', 'p2.pdf', 'p3.pdf', 'p4.pdf']);
		expect(fetches().map((r) => [r.query.page, r.query.page_size])).toEqual([['1', '5']]);
	});

	test('split parents come with their child files', async () => {
		const seeded = await seedUpload(env.emulator, ['bundle.pdf'], { split_flag: 'true' });
		env.emulator.finishAll();
		const result = await runDocflow({
			parameters: fetchParameters({ batchNumber: seeded.batch_number }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.task_type).toBe(2);
		expect(result.items[0].json.child_files).toHaveLength(2);
	});

	test('bad input: empty batch number, a list where one ID belongs, a date that is not one', async () => {
		let result = await runDocflow({
			parameters: fetchParameters({ batchNumber: '={{ $json.missing }}' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toBe('Batch Number is empty [item 0]');

		result = await runDocflow({
			parameters: fetchParameters({ batchNumber: '={{ $json.batches }}' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { batches: ['1', '2'] } }],
		});
		expect(result.error?.message).toMatch(/Batch Number must be one value, but it is (a list of 2 values|an array)/);

		result = await runDocflow({
			parameters: fetchParameters({ lookUpBy: 'filters', filters: { updatedAfter: '={{ "last tuesday" }}' } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/Updated After/);
		expect(fetches()).toHaveLength(0);
	});

	test('Continue On Fail: an unknown workspace fails its own item only', async () => {
		const seeded = await seedUpload(env.emulator, ['a.pdf']);
		const result = await runDocflow({
			parameters: fetchParameters({
				workspace: { __rl: true, mode: 'id', value: '={{ $json.ws }}' },
				batchNumber: seeded.batch_number,
			}),
			credentials: credentialFor(env.emulator),
			items: [{ json: { ws: '999' } }, { json: { ws: WORKSPACE_ID } }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.pairedItem, i.json.name ?? i.json.error])).toEqual([
			[{ item: 0 }, expect.stringMatching(/^DocFlow does not know this workspace .*\[item 0\]$/)],
			[{ item: 1 }, 'a.pdf'],
		]);
		expect(result.items[0].json).toMatchObject({ docflow_code: 40004, docflow_message: '工作空间不存在' });
		expect(result.items[0].json.trace_id).toEqual(expect.any(String));
	});
});
