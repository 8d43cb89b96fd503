import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, sha256, useEmulator } from '../../../../harness/fixtures.ts';
import { seedSampleOf } from '../../../../emulator/routes/categorySample.ts';
import {
	INVOICE,
	RECEIPT,
	binaryBytes,
	byId,
	listSamples,
	pdfBytes,
	requestsTo,
	sampleParameters,
	seedSamples,
} from './fixtures.ts';
import { unzip } from './unzip.ts';

const env = useEmulator();
const downloads = () => requestsTo(env.emulator, 'category/sample/batch_download');

const A = pdfBytes('download a', 3000);
const B = pdfBytes('download b', 70_000);
async function twoSamples(): Promise<Array<{ sample_id: string; file_name: string }>> {
	await seedSamples(env.emulator, [
		{ name: 'a.pdf', data: A },
		{ name: '样本 b.pdf', data: B },
	]);
	env.emulator.clearRequests();
	return await listSamples(env.emulator);
}

describe('Category Sample → Download', () => {
	test.each(['default', 'filesystem'] as const)(
		'All Samples (%s binary mode): the ZIP as DocFlow sent it, with its file name and MIME type, byte for byte through n8n’s binary data service',
		async (binaryMode) => {
			await twoSamples();
			const result = await runDocflow({
				parameters: sampleParameters('download'),
				credentials: credentialFor(env.emulator),
				binaryMode,
			});
			expect(result.error).toBeUndefined();
			const [request] = downloads();
			expect(downloads()).toHaveLength(1);
			expect(request.method).toBe('POST');
			expect(request.headers['content-type']).toBe('application/json');
			expect(request.headers.accept).toBe('application/zip, application/octet-stream, application/json');
			expect(request.json).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE.id });

			const [item] = result.items;
			expect(item.json).toEqual({
				workspace_id: WORKSPACE_ID,
				category_id: INVOICE.id,
				file_name: '发票_samples.zip',
				mime_type: 'application/zip',
				file_size: expect.any(Number),
				sample_count: 3,
				sample_file_names: ['发票-sample.pdf', 'a.pdf', '样本 b.pdf'],
			});
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.binary?.data).toMatchObject({ fileName: '发票_samples.zip', mimeType: 'application/zip', fileExtension: 'zip' });
			if (binaryMode === 'filesystem') expect(item.binary?.data.id).toMatch(/^filesystem/);
			else expect(item.binary?.data.id).toBeUndefined();

			const zip = await binaryBytes(item);
			expect(zip.length).toBe(item.json.file_size);
			expect(unzip(zip).map((e) => [e.name, sha256(e.data)])).toEqual([
				['发票-sample.pdf', sha256(seedSampleOf(INVOICE).data)],
				['a.pdf', sha256(A)],
				['样本 b.pdf', sha256(B)],
			]);
		},
	);

	test('Chosen Samples from the list: sample_ids on the wire, only those in the ZIP; own field and file name', async () => {
		const samples = await twoSamples();
		const result = await runDocflow({
			parameters: sampleParameters('download', {
				samples: 'chosen',
				sampleIds: [samples[2].sample_id, samples[1].sample_id],
				binaryPropertyName: 'zip',
				options: { fileName: 'invoice-samples.zip' },
			}),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(downloads()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE.id,
			sample_ids: [samples[2].sample_id, samples[1].sample_id],
		});
		const [item] = result.items;
		expect(Object.keys(item.binary ?? {})).toEqual(['zip']);
		expect(item.binary?.zip).toMatchObject({ fileName: 'invoice-samples.zip', mimeType: 'application/zip' });
		expect(item.json).toMatchObject({
			file_name: 'invoice-samples.zip',
			sample_ids: [samples[2].sample_id, samples[1].sample_id],
			sample_file_names: ['样本 b.pdf', 'a.pdf'],
		});
		expect(unzip(await binaryBytes(item, 'zip')).map((e) => sha256(e.data))).toEqual([sha256(B), sha256(A)]);
	});

	test('Chosen Samples by expression: one ID per item, a list, or IDs separated by commas; one ZIP per item', async () => {
		const samples = await twoSamples();
		const result = await runDocflow({
			parameters: sampleParameters('download', { samples: 'chosen', sampleIds: '={{ $json.ids }}' }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { ids: samples[1].sample_id } },
				{ json: { ids: [samples[0].sample_id, samples[2].sample_id] } },
				{ json: { ids: `${samples[2].sample_id}, ${samples[1].sample_id}` } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(downloads().map((r) => (r.json as { sample_ids: string[] }).sample_ids)).toEqual([
			[samples[1].sample_id],
			[samples[0].sample_id, samples[2].sample_id],
			[samples[2].sample_id, samples[1].sample_id],
		]);
		expect(result.items.map((i) => [i.pairedItem, i.json.sample_file_names])).toEqual([
			[{ item: 0 }, ['a.pdf']],
			[{ item: 1 }, ['发票-sample.pdf', '样本 b.pdf']],
			[{ item: 2 }, ['样本 b.pdf', 'a.pdf']],
		]);
		for (const item of result.items) {
			expect(unzip(await binaryBytes(item)).map((e) => e.name)).toEqual(item.json.sample_file_names);
		}
	});

	test('an unknown sample: DocFlow’s JSON error (HTTP 200, code 40004) where the ZIP should be becomes an API error with its code, message and trace ID', async () => {
		await twoSamples();
		const result = await runDocflow({
			parameters: sampleParameters('download', { samples: 'chosen', sampleIds: '42' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(
			/^DocFlow refused the samples of category 1900000000000000001 \(DocFlow code 40004, “sample does not exist: 42”, HTTP 200, trace ID [0-9a-f]{32}\) \[item 0\]$/,
		);
		expect(result.error?.description).toMatch(/Get Many lists the category’s samples with their IDs/);
		expect(downloads()).toHaveLength(1);
	});

	test('an unknown category: the error names the category and where to find its ID', async () => {
		const result = await runDocflow({
			parameters: sampleParameters('download', { categoryId: byId('7') }),
			credentials: credentialFor(env.emulator),
			continueOnFail: true,
		});
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: WORKSPACE_ID,
					category_id: '7',
					error: expect.stringMatching(/^DocFlow does not know category 7 in workspace 1234567890 \(DocFlow code 40004, “文件类别不存在”/),
					description: expect.stringMatching(/Category → Get Many/),
					docflow_code: 40004,
					docflow_message: '文件类别不存在',
					trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('a ZIP cut off mid-way is fetched again (a read); with no retries left, the error says what arrived', async () => {
		await twoSamples();
		// 'truncated-json' cuts any body in half: here the ZIP.
		env.emulator.injectFault({ path: 'category/sample/batch_download', kind: 'truncated-json' });
		const again = await runDocflow({ parameters: sampleParameters('download'), credentials: credentialFor(env.emulator) });
		expect(again.error).toBeUndefined();
		expect(downloads()).toHaveLength(2);
		expect(unzip(await binaryBytes(again.items[0])).map((e) => e.name)).toEqual(['发票-sample.pdf', 'a.pdf', '样本 b.pdf']);

		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'category/sample/batch_download', kind: 'truncated-json', times: 2 });
		const failed = await runDocflow({
			parameters: sampleParameters('download', { options: { maxRetries: 1 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(failed.error?.message).toMatch(
			/^DocFlow sent an answer the node cannot read: a ZIP file that breaks off \(truncated\) after 2 attempts \(HTTP 200, trace ID [0-9a-f]{32}\) \[item 0\]$/,
		);
		expect(downloads()).toHaveLength(2);
	});

	test('a reset connection or a gateway error is retried; an HTML page or a body that is not a ZIP is named', async () => {
		await twoSamples();
		env.emulator.injectFault({ path: 'category/sample/batch_download', kind: 'reset-after' });
		env.emulator.injectFault({ path: 'category/sample/batch_download', kind: 'status', status: 502 });
		const retried = await runDocflow({ parameters: sampleParameters('download'), credentials: credentialFor(env.emulator) });
		expect(retried.error).toBeUndefined();
		expect(downloads().map((r) => r.status)).toEqual([0, 502, 200]);
		expect(retried.items[0].json.sample_count).toBe(3);

		env.emulator.injectFault({ path: 'category/sample/batch_download', kind: 'html' });
		const html = await runDocflow({
			parameters: sampleParameters('download', { options: { maxRetries: 0 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(html.error?.message).toMatch(/an HTML page instead of JSON \(HTTP 502/);

		env.emulator.injectFault({ path: 'category/sample/batch_download', kind: 'non-json' });
		const text = await runDocflow({
			parameters: sampleParameters('download', { options: { maxRetries: 0 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(text.error?.message).toMatch(/^DocFlow sent an answer the node cannot read: a file that is not a ZIP \(HTTP 200/);
	});

	test('a JSON “success” where the ZIP should be is not taken for a file', async () => {
		await twoSamples();
		env.emulator.injectFault({ path: 'category/sample/batch_download', kind: 'status', status: 200, times: 2 });
		const result = await runDocflow({
			parameters: sampleParameters('download', { options: { maxRetries: 1 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow sent an answer the node cannot read: a JSON answer instead of the file after 2 attempts/);
	});

	test('signature authentication signs the JSON body of the download', async () => {
		const result = await runDocflow({
			parameters: sampleParameters('download', { categoryId: byId(RECEIPT.id) }),
			credentials: credentialFor(env.emulator, { authentication: 'signature' }),
		});
		expect(result.error).toBeUndefined();
		expect(downloads()[0].auth).toMatchObject({ mode: 'signature', valid: true });
		expect(result.items[0].json).toMatchObject({ file_name: 'receipt_samples.zip', sample_file_names: ['receipt-sample.pdf'] });
	});
});
