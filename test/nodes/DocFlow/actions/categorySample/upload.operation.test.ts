import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, sha256, useEmulator } from '../../../../harness/fixtures.ts';
import { SAMPLE_MSG, seedSampleOf } from '../../../../emulator/routes/categorySample.ts';
import {
	INVOICE,
	RECEIPT,
	byId,
	endpointsCalled,
	listSamples,
	pdfBytes,
	pdfItem,
	requestsTo,
	sampleParameters,
	seedSamples,
	storedSamples,
} from './fixtures.ts';

const env = useEmulator();
const uploads = () => requestsTo(env.emulator, 'category/sample/batch_upload');

describe('Category Sample → Upload', () => {
	test('several files of one item in one multipart request: form fields, files byte for byte, one item per sample', async () => {
		const a = pdfBytes('a');
		const b = pdfBytes('b', 5000);
		const result = await runDocflow({
			parameters: sampleParameters('upload', { binaryPropertyName: 'invoice, scan' }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ invoice: { name: '发票 "Q1".pdf', data: a }, scan: { name: 'scan.pdf', data: b } })],
		});
		expect(result.error).toBeUndefined();

		// The category is read first (to know its samples), then one upload.
		expect(endpointsCalled(env.emulator)).toEqual(['category/sample/list', 'category/sample/batch_upload']);
		expect(env.emulator.requests[0].query).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE.id, page: '1', page_size: '100' });
		const [request] = uploads();
		expect(request.method).toBe('POST');
		expect(request.query).toEqual({});
		expect(request.auth).toMatchObject({ mode: 'simple', valid: true });
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(Number(request.headers['content-length'])).toBe(request.bodyLength);
		expect(request.parts).toEqual([
			{ name: 'workspace_id', size: WORKSPACE_ID.length, sha256: sha256(WORKSPACE_ID) },
			{ name: 'category_id', size: INVOICE.id.length, sha256: sha256(INVOICE.id) },
			{ name: 'with_detail', size: 4, sha256: sha256('true') },
			{ name: 'files', filename: '发票 _Q1_.pdf', contentType: 'application/pdf', size: a.length, sha256: sha256(a) },
			{ name: 'files', filename: 'scan.pdf', contentType: 'application/pdf', size: b.length, sha256: sha256(b) },
		]);

		const listed = await listSamples(env.emulator);
		expect(listed.map((s) => s.file_name)).toEqual(['发票-sample.pdf', '发票 _Q1_.pdf', 'scan.pdf']);
		expect(result.items).toEqual([
			{
				json: { workspace_id: WORKSPACE_ID, category_id: INVOICE.id, sample_id: listed[1].sample_id, file_name: '发票 _Q1_.pdf', binary_field: 'invoice' },
				pairedItem: { item: 0 },
			},
			{
				json: { workspace_id: WORKSPACE_ID, category_id: INVOICE.id, sample_id: listed[2].sample_id, file_name: 'scan.pdf', binary_field: 'scan' },
				pairedItem: { item: 0 },
			},
		]);
		// What DocFlow stored is what was sent.
		expect((await storedSamples(env.emulator)).map((e) => [e.name, sha256(e.data)])).toEqual([
			['发票-sample.pdf', sha256(seedSampleOf(INVOICE).data)],
			['发票 _Q1_.pdf', sha256(a)],
			['scan.pdf', sha256(b)],
		]);
	});

	test.each(['default', 'filesystem'] as const)(
		'several items (%s binary mode, Batching 3): one list per category, uploads into one category one at a time, each item gets its own samples, same names included',
		async (binaryMode) => {
			await seedSamples(env.emulator, [{ name: 'same.pdf', data: pdfBytes('old same') }]);
			env.emulator.clearRequests();
			env.emulator.setLatency(60);
			const files = [pdfBytes('x1'), pdfBytes('x2'), pdfBytes('x3'), pdfBytes('r1')];
			const result = await runDocflow({
				parameters: sampleParameters('upload', {
					categoryId: byId('={{ $json.category }}'),
					options: { batching: { batch: { itemsPerBatch: 3 } } },
				}),
				credentials: credentialFor(env.emulator),
				binaryMode,
				items: [
					pdfItem({ data: { name: 'same.pdf', data: files[0] } }, { category: INVOICE.id }),
					pdfItem({ data: { name: 'same.pdf', data: files[3] } }, { category: RECEIPT.id }),
					pdfItem({ data: { name: 'same.pdf', data: files[1] } }, { category: INVOICE.id }),
					pdfItem({ data: { name: 'other.pdf', data: files[2] } }, { category: INVOICE.id }),
				],
			});
			expect(result.error).toBeUndefined();
			const lists = requestsTo(env.emulator, 'category/sample/list');
			expect(lists.map((r) => r.query.category_id).sort()).toEqual([INVOICE.id, RECEIPT.id]);
			expect(uploads()).toHaveLength(4);
			// Into one category one after the other (each answer takes 60 ms); the other category's alongside.
			const into = (id: string) => uploads().filter((r) => r.parts?.some((p) => p.name === 'category_id' && p.sha256 === sha256(id)));
			const invoiceTimes = into(INVOICE.id).map((r) => r.receivedAt);
			expect(invoiceTimes).toHaveLength(3);
			for (let i = 1; i < invoiceTimes.length; i++) expect(invoiceTimes[i] - invoiceTimes[i - 1]).toBeGreaterThanOrEqual(55);
			expect(into(RECEIPT.id)[0].receivedAt).toBeLessThan(invoiceTimes[1]);
			expect(uploads().map((r) => r.parts?.find((p) => p.name === 'files')?.sha256).sort()).toEqual(files.map(sha256).sort());

			const invoice = await listSamples(env.emulator);
			const receipt = await listSamples(env.emulator, RECEIPT.id);
			const byHash = new Map((await storedSamples(env.emulator)).map((e, i) => [sha256(e.data), invoice[i].sample_id]));
			const receiptIds = receipt.map((s) => s.sample_id);
			expect(result.items.map((i) => [i.pairedItem, i.json.category_id, i.json.sample_id, i.json.file_name])).toEqual([
				[{ item: 0 }, INVOICE.id, byHash.get(sha256(files[0])), 'same.pdf'],
				[{ item: 1 }, RECEIPT.id, receiptIds[1], 'same.pdf'],
				[{ item: 2 }, INVOICE.id, byHash.get(sha256(files[1])), 'same.pdf'],
				[{ item: 3 }, INVOICE.id, byHash.get(sha256(files[2])), 'other.pdf'],
			]);
			// Nobody took the sample that was there before.
			expect(result.items.map((i) => i.json.sample_id)).not.toContain(invoice[1].sample_id);
			expect(new Set(result.items.map((i) => i.json.sample_id)).size).toBe(4);
		},
	);

	test('signature authentication signs the multipart body with its form fields', async () => {
		const result = await runDocflow({
			parameters: sampleParameters('upload'),
			credentials: credentialFor(env.emulator, { authentication: 'signature' }),
			items: [pdfItem({ data: { name: 'signed.pdf', data: pdfBytes('signed') } })],
		});
		expect(result.error).toBeUndefined();
		expect(env.emulator.requests.map((r) => r.auth)).toEqual([
			expect.objectContaining({ mode: 'signature', valid: true, secretHeader: false }),
			expect.objectContaining({ mode: 'signature', valid: true, secretHeader: false }),
		]);
		expect(result.items[0].json.file_name).toBe('signed.pdf');
	});

	test.each([
		['a reset connection', 'reset-after'],
		['an answer cut off mid-way', 'truncated-json'],
		['no answer in time', 'hang-after'],
	] as const)('%s after DocFlow stored the samples: the category is listed, nothing is sent again, each sample stored once', async (_name, kind) => {
		env.emulator.injectFault({ path: 'category/sample/batch_upload', kind });
		const a = pdfBytes('lost a');
		const b = pdfBytes('lost b');
		const result = await runDocflow({
			parameters: sampleParameters('upload', { binaryPropertyName: 'a,b', options: { requestTimeoutSeconds: 1 } }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ a: { name: 'a.pdf', data: a }, b: { name: 'b.pdf', data: b } })],
		});
		expect(result.error).toBeUndefined();
		expect(endpointsCalled(env.emulator)).toEqual([
			'category/sample/list',
			'category/sample/batch_upload',
			'category/sample/list',
		]);
		const stored = await storedSamples(env.emulator);
		expect(stored.map((e) => [e.name, sha256(e.data)])).toEqual([
			['发票-sample.pdf', sha256(seedSampleOf(INVOICE).data)],
			['a.pdf', sha256(a)],
			['b.pdf', sha256(b)],
		]);
		const listed = await listSamples(env.emulator);
		expect(result.items.map((i) => [i.json.file_name, i.json.sample_id])).toEqual([
			['a.pdf', listed[1].sample_id],
			['b.pdf', listed[2].sample_id],
		]);
	});

	test('two items with the same file name, both answers lost (Batching): each gets its own sample, none stored twice', async () => {
		env.emulator.injectFault({ path: 'category/sample/batch_upload', kind: 'reset-after', times: 2 });
		const first = pdfBytes('twin 1');
		const second = pdfBytes('twin 2');
		const result = await runDocflow({
			parameters: sampleParameters('upload', { options: { batching: { batch: { itemsPerBatch: 2 } } } }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ data: { name: 'twin.pdf', data: first } }), pdfItem({ data: { name: 'twin.pdf', data: second } })],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		const stored = await storedSamples(env.emulator);
		const listed = await listSamples(env.emulator);
		expect(stored.map((e) => [e.name, sha256(e.data)])).toEqual([
			['发票-sample.pdf', sha256(seedSampleOf(INVOICE).data)],
			['twin.pdf', sha256(first)],
			['twin.pdf', sha256(second)],
		]);
		expect(result.items.map((i) => [i.pairedItem, i.json.sample_id])).toEqual([
			[{ item: 0 }, listed[1].sample_id],
			[{ item: 1 }, listed[2].sample_id],
		]);
	});

	test('an answer lost before DocFlow stored anything (HTTP 502): listed, then sent once more, each sample stored once', async () => {
		env.emulator.injectFault({ path: 'category/sample/batch_upload', kind: 'status', status: 502 });
		const a = pdfBytes('502 a');
		const result = await runDocflow({
			parameters: sampleParameters('upload'),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ data: { name: 'a.pdf', data: a } })],
		});
		expect(result.error).toBeUndefined();
		expect(endpointsCalled(env.emulator)).toEqual([
			'category/sample/list',
			'category/sample/batch_upload',
			'category/sample/list',
			'category/sample/batch_upload',
		]);
		expect(uploads().map((r) => r.status)).toEqual([502, 200]);
		expect((await storedSamples(env.emulator)).filter((e) => sha256(e.data) === sha256(a))).toHaveLength(1);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.sample_id).toBe((await listSamples(env.emulator))[1].sample_id);
	});

	test('a refusal DocFlow answers before processing (HTTP 429) is sent again at once, without a look-up', async () => {
		env.emulator.injectFault({ path: 'category/sample/batch_upload', kind: 'status', status: 429, retryAfter: 0 });
		const result = await runDocflow({
			parameters: sampleParameters('upload'),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ data: { name: 'a.pdf', data: pdfBytes('429') } })],
		});
		expect(result.error).toBeUndefined();
		expect(endpointsCalled(env.emulator)).toEqual([
			'category/sample/list',
			'category/sample/batch_upload',
			'category/sample/batch_upload',
		]);
		expect(await listSamples(env.emulator)).toHaveLength(2);
	});

	test('a lost answer that cannot be checked (the list fails too): “may have been uploaded — check …”, nothing sent again', async () => {
		env.emulator.injectFault({ path: 'category/sample/batch_upload', kind: 'reset-after' });
		// Faults are taken in order: the list before the upload passes (a delay of 0), every later one gets a gateway's HTML page.
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'delay', ms: 0 });
		env.emulator.injectFault({ path: 'category/sample/list', kind: 'html', times: 2 });
		const result = await runDocflow({
			parameters: sampleParameters('upload', { options: { maxRetries: 1 } }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ data: { name: 'a.pdf', data: pdfBytes('unsure') } })],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(endpointsCalled(env.emulator)).toEqual([
			'category/sample/list',
			'category/sample/batch_upload',
			'category/sample/list',
			'category/sample/list',
		]);
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: WORKSPACE_ID,
					category_id: INVOICE.id,
					error: '“a.pdf” may have been uploaded to category 1900000000000000001 — check its samples [item 0]',
					description: expect.stringMatching(/an HTML page instead of JSON after 2 attempts.*did not send the files again.*Get Many/),
					file_name: 'a.pdf',
				},
				pairedItem: { item: 0 },
			},
		]);
		// It was stored once, and only once.
		expect((await listSamples(env.emulator)).map((s) => s.file_name)).toEqual(['发票-sample.pdf', 'a.pdf']);
	});

	test('a category that would pass 20 samples: refused with the count, nothing uploaded', async () => {
		await seedSamples(env.emulator, Array.from({ length: 10 }, (_, i) => ({ name: `s${i}.pdf`, data: pdfBytes(`s${i}`) })));
		await seedSamples(env.emulator, Array.from({ length: 8 }, (_, i) => ({ name: `t${i}.pdf`, data: pdfBytes(`t${i}`) })));
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: sampleParameters('upload', { binaryPropertyName: 'a, b' }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ a: { name: 'a.pdf', data: pdfBytes('a') }, b: { name: 'b.pdf', data: pdfBytes('b') } })],
		});
		expect(result.error?.message).toBe(
			'Category 1900000000000000001 already has 19 samples; 2 more would exceed DocFlow’s limit of 20 per category [item 0]',
		);
		expect(result.error?.description).toMatch(/Delete samples .* or upload at most 1 now/);
		expect(uploads()).toHaveLength(0);
	});

	test('DocFlow’s own refusal of the 21st sample (another client filled the category meanwhile) keeps its code and message', async () => {
		await seedSamples(env.emulator, Array.from({ length: 10 }, (_, i) => ({ name: `s${i}.pdf`, data: pdfBytes(`s${i}`) })));
		await seedSamples(env.emulator, Array.from({ length: 8 }, (_, i) => ({ name: `t${i}.pdf`, data: pdfBytes(`t${i}`) })));
		env.emulator.injectFault({ path: 'category/sample/batch_upload', kind: 'business', code: 40004, msg: 'too many samples: category 发票 has 20, at most 20 per category' });
		const result = await runDocflow({
			parameters: sampleParameters('upload'),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ data: { name: 'a.pdf', data: pdfBytes('a') } })],
		});
		expect(result.error?.message).toMatch(
			/^DocFlow refused the samples of category 1900000000000000001 \(DocFlow code 40004, “too many samples: category 发票 has 20, at most 20 per category”, HTTP 200, trace ID [0-9a-f]{32}\) \[item 0\]$/,
		);
		expect(result.error?.description).toMatch(/Get Many lists the category’s samples/);
	});

	test('an unknown category: DocFlow’s refusal, in words that say where to find the category’s ID', async () => {
		const result = await runDocflow({
			parameters: sampleParameters('upload', { categoryId: byId('1900000000000000011') }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem({ data: { name: 'a.pdf', data: pdfBytes('a') } })],
		});
		expect(result.error?.message).toMatch(
			new RegExp(
				`^DocFlow does not know category 1900000000000000011 in workspace ${WORKSPACE_ID} \\(DocFlow code 40004, “${SAMPLE_MSG.CATEGORY_NOT_FOUND}”, HTTP 200, trace ID [0-9a-f]{32}\\) \\[item 0\\]$`,
			),
		);
		expect(result.error?.description).toMatch(/Category → Get Many lists the workspace’s categories/);
		expect(uploads()).toHaveLength(0);
	});
});
