import { runDocflow } from '../../../../harness/engine.ts';
import {
	SECRET,
	WORKSPACE_ID,
	credentialFor,
	sample,
	sha256,
	useEmulator,
	workspace,
} from '../../../../harness/fixtures.ts';

const env = useEmulator();

const uploadParameters = (extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	...extra,
});

const pdfItem = (fileName = 'simple.pdf', data = sample('simple.pdf'), field = 'data') => ({
	binary: { [field]: { data, fileName, mimeType: 'application/pdf' } },
});

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));

describe('File → Upload', () => {
	test('sends one PDF as multipart through n8n’s engine and outputs the receipt', async () => {
		const pdf = sample('simple.pdf');
		const result = await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator),
			items: [pdfItem()],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		const [request] = uploads();
		expect(request.method).toBe('POST');
		expect(request.auth).toMatchObject({ mode: 'simple', valid: true });
		expect(request.headers['x-ti-app-id']).toBe('demo-app-id');
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(Number(request.headers['content-length'])).toBe(request.bodyLength);
		expect(request.query).toEqual({
			workspace_id: WORKSPACE_ID,
			batch_number: expect.stringMatching(/^\d{19}$/),
		});
		expect(request.parts).toEqual([
			{
				name: 'file',
				filename: 'simple.pdf',
				contentType: 'application/pdf',
				size: pdf.length,
				sha256: sha256(pdf),
			},
		]);
		const [task] = env.emulator.tasks();
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: WORKSPACE_ID,
					batch_number: request.query.batch_number,
					file_id: task.fileId,
					task_id: task.taskId,
					name: 'simple.pdf',
					format: 'pdf',
					binary_field: 'data',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('several binary fields of one item go up in one request, non-ASCII names intact, quotes made plain', async () => {
		const pdf = sample('simple.pdf');
		const jpg = sample('crop_example.jpg');
		const split = sample('split_example.pdf');
		const result = await runDocflow({
			parameters: uploadParameters({ binaryPropertyName: 'invoice, photo ,scan' }),
			credentials: credentialFor(env.emulator),
			items: [
				{
					binary: {
						invoice: { data: pdf, fileName: '发票-2024 "Q1".pdf', mimeType: 'application/pdf' },
						photo: { data: jpg, fileName: 'Quittung Müller.jpg', mimeType: 'image/jpeg' },
						scan: { data: split, fileName: 'scan.pdf', mimeType: 'application/pdf' },
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(uploads()[0].parts).toEqual([
			{ name: 'file', filename: '发票-2024 _Q1_.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
			{ name: 'file', filename: 'Quittung Müller.jpg', contentType: 'image/jpeg', size: jpg.length, sha256: sha256(jpg) },
			{ name: 'file', filename: 'scan.pdf', contentType: 'application/pdf', size: split.length, sha256: sha256(split) },
		]);
		expect(result.items.map((i) => [i.json.name, i.json.binary_field, i.pairedItem])).toEqual([
			['发票-2024 _Q1_.pdf', 'invoice', { item: 0 }],
			['Quittung Müller.jpg', 'photo', { item: 0 }],
			['scan.pdf', 'scan', { item: 0 }],
		]);
		const stored = env.emulator.tasks().map((t) => [t.name, t.sha256]);
		expect(stored).toEqual([
			['发票-2024 _Q1_.pdf', sha256(pdf)],
			['Quittung Müller.jpg', sha256(jpg)],
			['scan.pdf', sha256(split)],
		]);
	});

	test('one batch for the run: every item of the execution lands in the same batch', async () => {
		const files = ['a.pdf', 'b.pdf', 'c.pdf'].map((name, i) =>
			pdfItem(name, Buffer.concat([sample('simple.pdf'), Buffer.from(`item ${i}`)])),
		);
		const result = await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator),
			items: files,
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(3);
		const batches = new Set(uploads().map((r) => r.query.batch_number));
		expect(batches.size).toBe(1);
		expect(result.items.map((i) => i.json.batch_number)).toEqual([...batches, ...batches, ...batches]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		// Fetch Batch then finds all three with the one number.
		const fetched = await runDocflow({
			parameters: {
				resource: 'file',
				operation: 'fetchBatch',
				workspace: workspace(),
				lookUpBy: 'batchNumber',
				batchNumber: [...batches][0],
			},
			credentials: credentialFor(env.emulator),
		});
		expect(fetched.items.map((i) => i.json.name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
	});

	test('one batch for the run off: one batch per item; an explicit Batch Number is used as given', async () => {
		await runDocflow({
			parameters: uploadParameters({ options: { oneBatchPerRun: false } }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem('a.pdf'), pdfItem('b.pdf')],
		});
		expect(new Set(uploads().map((r) => r.query.batch_number)).size).toBe(2);

		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: uploadParameters({ options: { batchNumber: '={{ "batch-" + $json.sourceIndex }}' } }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem('a.pdf'), pdfItem('b.pdf')],
		});
		expect(uploads().map((r) => r.query.batch_number)).toEqual(['batch-0', 'batch-1']);
		expect(result.items.map((i) => i.json.batch_number)).toEqual(['batch-0', 'batch-1']);
	});

	test('every upload option and parser option becomes its query parameter', async () => {
		const result = await runDocflow({
			parameters: uploadParameters({
				options: {
					category: 'receipt',
					batchNumber: '202412190001',
					autoVerifyVat: true,
					splitFiles: true,
					cropMultipleImages: false,
					targetProcess: 'classify',
				},
				parserOptions: {
					removeWatermark: true,
					cropDewarp: true,
					mergeAcrossPages: false,
					formulaLevel: 2,
					tableTextSplitMode: true,
					dpi: 216,
					parseMode: 'vlm',
					pdfPassword: 'open sesame',
				},
			}),
			credentials: credentialFor(env.emulator),
			items: [pdfItem()],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()[0].query).toEqual({
			workspace_id: WORKSPACE_ID,
			category: 'receipt',
			batch_number: '202412190001',
			auto_verify_vat: 'true',
			split_flag: 'true',
			crop_flag: 'false',
			target_process: 'classify',
			parser_remove_watermark: '1',
			parser_crop_dewarp: '1',
			parser_apply_merge: '0',
			parser_formula_level: '2',
			parser_table_text_split_mode: '1',
			parser_dpi: '216',
			parser_parse_mode: 'vlm',
			parser_pdf_pwd: 'open sesame',
		});
		expect(env.emulator.tasks()[0]).toMatchObject({
			taskType: 2,
			options: { category: 'receipt', auto_verify_vat: true, split_flag: true, target_process: 'classify' },
			parserParams: { remove_watermark: 1, crop_dewarp: 1, apply_merge: 0, formula_level: 2, dpi: 216, parse_mode: 'vlm' },
		});
	});

	test('file URLs go up as a JSON body, up to ten per item', async () => {
		const urls = ['https://example.com/a.pdf', 'http://files.example.org/path/%E5%8F%91%E7%A5%A8.png'];
		const result = await runDocflow({
			parameters: uploadParameters({ inputType: 'url', fileUrls: urls.join('\n') }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const [request] = uploads();
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.json).toEqual({ urls });
		expect(result.items.map((i) => [i.json.name, i.json.format])).toEqual([
			['a.pdf', 'pdf'],
			['发票.png', 'png'],
		]);
		expect(result.items[0].json.binary_field).toBeUndefined();
	});

	test('file URLs from an expression that returns a list', async () => {
		const result = await runDocflow({
			parameters: uploadParameters({ inputType: 'url', fileUrls: '={{ $json.links }}' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { links: ['https://example.com/1.pdf', 'https://example.com/2.pdf'] } }],
		});
		expect(result.error).toBeUndefined();
		expect(uploads()[0].json).toEqual({ urls: ['https://example.com/1.pdf', 'https://example.com/2.pdf'] });
	});

	test('signature authentication: valid signature over the multipart bytes, no secret on the wire', async () => {
		const result = await runDocflow({
			parameters: uploadParameters({ options: { category: '发票' } }),
			credentials: credentialFor(env.emulator, { authentication: 'signature' }),
			items: [pdfItem('发票.pdf')],
		});
		expect(result.error).toBeUndefined();
		const [request] = uploads();
		expect(request.auth).toMatchObject({ mode: 'signature', valid: true, secretHeader: false });
		expect(request.headers['x-ti-secret-code']).toBeUndefined();
		expect(request.headers['x-ti-signature']).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(request)).not.toContain(SECRET);
	});

	test('filesystem binary mode (n8n 2.x default): the file is streamed, bytes arrive intact', async () => {
		const pdf = sample('split_example.pdf');
		for (const authentication of ['simple', 'signature']) {
			env.emulator.clearRequests();
			const result = await runDocflow({
				parameters: uploadParameters(),
				credentials: credentialFor(env.emulator, { authentication }),
				items: [pdfItem('split.pdf', pdf)],
				binaryMode: 'filesystem',
			});
			expect(result.error).toBeUndefined();
			expect(result.inputs[0].binary?.data.id).toMatch(/^filesystem/);
			expect(uploads()[0].parts?.[0]).toMatchObject({ size: pdf.length, sha256: sha256(pdf) });
			expect(uploads()[0].auth.valid).toBe(true);
		}
	});

	test('the enterprise ID of the credential is sent as x-ti-enterprise-id', async () => {
		await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator, { enterpriseId: '1001' }),
			items: [pdfItem()],
		});
		expect(uploads()[0].headers['x-ti-enterprise-id']).toBe('1001');
	});
});

describe('File → Upload refuses bad input before any request', () => {
	const cases: Array<[string, Record<string, unknown>, unknown, RegExp]> = [
		[
			'a missing binary field (names the fields the item has)',
			{ binaryPropertyName: 'attachment' },
			pdfItem('a.pdf', sample('simple.pdf'), 'attachment_0'),
			/Item 0 has no binary field “attachment” \[item 0\]/,
		],
		['an empty file', {}, pdfItem('empty.pdf', Buffer.alloc(0)), /“empty\.pdf” in binary field “data” is empty \[item 0\]/],
		[
			'an unsupported format',
			{},
			{ binary: { data: { data: Buffer.from('PK zip'), fileName: 'archive.zip', mimeType: 'application/zip' } } },
			/does not read “archive\.zip” in binary field “data”: \.zip files are not supported \[item 0\]/,
		],
		['an item without any file', {}, { json: { subject: 'no attachment' } }, /Item 0 has no binary field “data”/],
	];

	test.each(cases)('%s', async (_name, parameters, item, message) => {
		const result = await runDocflow({
			parameters: uploadParameters(parameters),
			credentials: credentialFor(env.emulator),
			items: [item as never],
		});
		expect(result.error?.message).toMatch(message);
		expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(0);
		expect(result.error?.description).toBeTruthy();
		expect(env.emulator.requests).toHaveLength(0);
	});

	test('a file over 100 MiB is refused with its size', async () => {
		const big = Buffer.alloc(100 * 1024 * 1024 + 1, 0x25);
		const result = await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator),
			items: [pdfItem('huge.pdf', big)],
			binaryMode: 'filesystem',
		});
		expect(result.error?.message).toMatch(/“huge\.pdf” in binary field “data” is 100\.0 MiB, over DocFlow’s limit of 100 MiB \[item 0\]/);
		expect(env.emulator.requests).toHaveLength(0);
	});

	test('a bad item stops the run before the good ones are uploaded', async () => {
		const result = await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator),
			items: [pdfItem('good.pdf'), pdfItem('empty.pdf', Buffer.alloc(0)), pdfItem('fine.pdf')],
		});
		expect(result.error?.message).toMatch(/empty \[item 1\]/);
		expect(env.emulator.requests).toHaveLength(0);
	});

	test('more than ten URLs, or a URL that is not http(s)', async () => {
		const eleven = Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.pdf`).join(',');
		let result = await runDocflow({
			parameters: uploadParameters({ inputType: 'url', fileUrls: eleven }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/at most 10 file URLs per upload, this item has 11 \[item 0\]/);
		result = await runDocflow({
			parameters: uploadParameters({ inputType: 'url', fileUrls: 'ftp://example.com/a.pdf' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/“ftp:\/\/example\.com\/a\.pdf” is not an http\(s\) URL \[item 0\]/);
		expect(env.emulator.requests).toHaveLength(0);
	});

	test('with Continue On Fail the bad item comes out as an error on its own output, the others are uploaded', async () => {
		const result = await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator),
			items: [pdfItem('good.pdf'), pdfItem('empty.pdf', Buffer.alloc(0)), pdfItem('fine.pdf')],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(uploads().map((r) => r.parts?.[0].filename)).toEqual(['good.pdf', 'fine.pdf']);
		expect(result.items.map((i) => [i.pairedItem, i.json.name ?? i.json.error])).toEqual([
			[{ item: 0 }, 'good.pdf'],
			[{ item: 1 }, expect.stringMatching(/“empty\.pdf” in binary field “data” is empty \[item 1\]/)],
			[{ item: 2 }, 'fine.pdf'],
		]);
		expect(result.items[1].json.description).toMatch(/empty file/);
		expect(result.items[1].json).toMatchObject({ binary_field: 'data', file_name: 'empty.pdf' });
	});
});

describe('File → Upload maps DocFlow’s refusals', () => {
	test('DocFlow lists only some of an item’s files as uploaded: the others are named, the accepted ones kept', async () => {
		const answer = {
			code: 200,
			msg: 'success',
			result: { batch_number: 'b', files: [{ id: 'f-2', task_id: 't-2', name: 'second.pdf', format: 'pdf' }] },
		};
		env.emulator.injectFault({
			path: 'file/upload',
			kind: 'status',
			status: 200,
			body: JSON.stringify(answer),
			contentType: 'application/json',
		});
		const item = {
			binary: {
				data: { data: sample('simple.pdf'), fileName: 'first.pdf', mimeType: 'application/pdf' },
				other: { data: sample('simple.pdf'), fileName: 'second.pdf', mimeType: 'application/pdf' },
			},
		};
		let result = await runDocflow({
			parameters: uploadParameters({ binaryPropertyName: 'data, other' }),
			credentials: credentialFor(env.emulator),
			items: [item],
		});
		expect(result.error?.message).toMatch(/^DocFlow did not accept “first\.pdf” \(batch \d+\) \[item 0\]$/);

		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 200, body: JSON.stringify(answer), contentType: 'application/json' });
		result = await runDocflow({
			parameters: uploadParameters({ binaryPropertyName: 'data, other' }),
			credentials: credentialFor(env.emulator),
			items: [item],
			continueOnFail: true,
		});
		expect(result.items.map((i) => [i.json.file_id ?? null, i.json.binary_field ?? null, i.json.error ?? null])).toEqual([
			['f-2', 'other', null],
			[null, null, expect.stringContaining('did not accept “first.pdf”')],
		]);
	});

	test('an unknown workspace: DocFlow’s Chinese message, the code, the trace ID and what to do', async () => {
		const result = await runDocflow({
			parameters: uploadParameters({ workspace: workspace('999') }),
			credentials: credentialFor(env.emulator),
			items: [pdfItem()],
		});
		const [request] = uploads();
		expect(result.error?.message).toBe(
			`DocFlow does not know this workspace (DocFlow code 40004, “工作空间不存在”, HTTP 200, trace ID ${request.traceId}) [item 0]`,
		);
		expect(result.error?.description).toMatch(/More Actions → Settings/);
	});

	test('a wrong secret: credential hint, and the secret is nowhere in the error', async () => {
		const result = await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator, { secretCode: 'wrong-secret-123' }),
			items: [pdfItem()],
		});
		expect(result.error?.message).toMatch(/^DocFlow rejected the credential \(DocFlow code 40102/);
		expect(result.error?.description).toMatch(/App ID and Secret Code/);
		expect(JSON.stringify(result.run.data)).not.toContain('wrong-secret-123');
	});
});
