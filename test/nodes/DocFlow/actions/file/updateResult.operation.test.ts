import type { IDataObject } from 'n8n-workflow';

import { loadOptionsContext, runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, rawFetch, seedUpload, useEmulator, workspace } from '../../../../harness/fixtures.ts';

const env = useEmulator();

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const updateParameters = (fileId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'updateResult',
	workspace: workspace(),
	file: byId(fileId),
	...extra,
});

const updates = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/update'));
const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

/** An invoice DocFlow has finished, and its result as file/fetch shows it. */
async function finishedInvoice(name = 'invoice.pdf') {
	const seeded = await seedUpload(env.emulator, [name]);
	env.emulator.finishAll();
	const fileId = seeded.files[0].id;
	const [file] = (await rawFetch(env.emulator, { file_id: fileId })).files as any[];
	env.emulator.clearRequests();
	return { fileId, taskId: seeded.files[0].task_id, file };
}

/** A field or cell as file/update takes it (the spec's KeyValue). */
const kv = (cell: { key: string; value: string; position?: unknown }) => ({ key: cell.key, value: cell.value, position: cell.position ?? [] });

describe('File → Update Result', () => {
	test('Fields to Update: the whole current result goes back with the one change; output is the result after the update (simplified)', async () => {
		const { fileId, file } = await finishedInvoice();
		const before = env.emulator.now();
		env.emulator.advance(60_000);
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changes: { field: [{ name: 'Invoice Number', value: '28737001' }] } }),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();

		// on the wire: a read, ONE update for the file with every field and row, a read again
		expect(env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]}`)).toEqual([
			'GET file/fetch',
			'POST file/update',
			'GET file/fetch',
		]);
		expect(fetches()[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, file_id: fileId });
		expect(updates()[0].json).toEqual([
			{
				workspace_id: WORKSPACE_ID,
				file_id: fileId,
				data: {
					fields: file.data.fields.map((f: any) => kv(f.key === 'Invoice Number' ? { ...f, value: '28737001' } : f)),
					items: file.data.items.map((row: any[]) => row.map(kv)),
				},
			},
		]);
		expect(updates()[0].auth.valid).toBe(true);

		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json).toMatchObject({
			workspace_id: WORKSPACE_ID,
			file_id: fileId,
			status: 'success',
			fields: {
				'Invoice Code': '3100231130',
				'Invoice Number': '28737001',
				'Total Amount': '11300.00',
				Remarks: '',
			},
			tables: { 'Goods Details': [expect.objectContaining({ Quantity: '2' }), expect.objectContaining({ Quantity: '1' })] },
		});
		expect(Object.keys(result.items[0].json.fields as object)).toHaveLength(7);

		// DocFlow has it, the other fields intact, and the file's update time moved
		const [after] = (await rawFetch(env.emulator, { file_id: fileId })).files as any[];
		expect(after.data.fields.map((f: any) => [f.key, f.value])).toEqual(
			file.data.fields.map((f: any) => [f.key, f.key === 'Invoice Number' ? '28737001' : f.value]),
		);
		const since = new Date(before + 30_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		expect((await rawFetch(env.emulator, { start_time: since })).files.map((f) => f.id)).toEqual([fileId]);
	});

	test('JSON: a whole simplified item with a corrected field and table rows (a row changed, one added, the untouched table passed as it is); raw output', async () => {
		const { fileId, file } = await finishedInvoice();
		const fetched = await runDocflow({
			parameters: { resource: 'file', operation: 'fetchBatch', workspace: workspace(), lookUpBy: 'fileId', fileId, simplify: true },
			credentials: credentialFor(env.emulator),
		});
		const simplified = structuredClone(fetched.items[0].json) as any;
		simplified.fields['Total Amount'] = 11400;
		simplified.tables['Goods Details'][1].Amount = '1400.00';
		simplified.tables['Goods Details'].push({ 'Goods and Services Name': 'Cable', Amount: '0.00' });
		env.emulator.clearRequests();

		const result = await runDocflow({
			parameters: updateParameters(fileId, { changesMode: 'json', resultJson: '={{ $json }}', simplify: false }),
			credentials: credentialFor(env.emulator),
			items: [{ json: simplified }],
		});
		expect(result.error).toBeUndefined();
		const sent = (updates()[0].json as any[])[0].data;
		expect(sent.fields.find((f: any) => f.key === 'Total Amount')).toEqual(kv({ ...file.data.fields[5], value: '11400' }));
		expect(sent.items).toEqual([
			file.data.items[0].map(kv),
			file.data.items[1].map((c: any) => kv(c.key === 'Amount' ? { ...c, value: '1400.00' } : c)),
			[
				{ key: 'Goods and Services Name', value: 'Cable', position: [] },
				{ key: 'Amount', value: '0.00', position: [] },
			],
		]);
		// raw: DocFlow's own object, after the update
		expect(result.items[0].json).toMatchObject({ id: fileId, recognition_status: 1 });
		const goods = (result.items[0].json as any).data.tables[0];
		expect(goods.items).toHaveLength(3);
		expect((result.items[0].json as any).data.tables[1]).toEqual(file.data.tables[1]);
	});

	test('a table row that leaves columns out keeps them; fewer rows delete the others', async () => {
		const { fileId, file } = await finishedInvoice();
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changes: { table: [{ name: 'Goods Details', rows: '[{ "Quantity": "3" }]' }] } }),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect((updates()[0].json as any[])[0].data.items).toEqual([
			file.data.items[0].map((c: any) => kv(c.key === 'Quantity' ? { ...c, value: '3' } : c)),
		]);
		expect(result.items[0].json.tables).toMatchObject({ 'Goods Details': [{ 'Goods and Services Name': '＊Electronic Computer＊Microcomputer Host', Quantity: '3' }] });
	});

	test('two items changing the same file: both changes arrive (the second is merged on top of the first)', async () => {
		const { fileId } = await finishedInvoice();
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changes: { field: [{ name: '={{ $json.name }}', value: '={{ $json.value }}' }] } }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { name: 'Buyer Name', value: 'A' } }, { json: { name: 'Seller Name', value: 'B' } }],
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(updates()).toHaveLength(2);
		expect(result.items[1].json.fields).toMatchObject({ 'Buyer Name': 'A', 'Seller Name': 'B' });
		const [after] = (await rawFetch(env.emulator, { file_id: fileId })).files as any[];
		expect(after.data.fields.filter((f: any) => ['Buyer Name', 'Seller Name'].includes(f.key)).map((f: any) => f.value)).toEqual(['B', 'A']);
	});

	test('a split part is updated by its own file ID; a lost answer to file/update is simply sent again (same full result)', async () => {
		const seeded = await seedUpload(env.emulator, ['pack.pdf'], { split_flag: 'true' });
		env.emulator.finishAll();
		const parent = (await rawFetch(env.emulator, { batch_number: seeded.batch_number })).files[0] as any;
		const part = parent.child_files[1];
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/update', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: updateParameters(part.id, { changes: { field: [{ name: 'Merchant Name', value: 'Blue Cafe' }] } }),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(updates().map((u) => u.fault ?? 'answered')).toEqual(['reset-after', 'answered']);
		expect(updates()[0].json).toEqual(updates()[1].json);
		expect(result.items[0].json).toMatchObject({ file_id: part.id, fields: { 'Merchant Name': 'Blue Cafe' } });
	});

	test('options: Max Retries bounds the attempts; Batching writes items at once, output in item order', async () => {
		const a = await finishedInvoice('a.pdf');
		const b = await finishedInvoice('b.pdf');
		env.emulator.injectFault({ path: 'file/update', kind: 'status', status: 503, times: 2 });
		let result = await runDocflow({
			parameters: updateParameters(a.fileId, { changes: { field: [{ name: 'Remarks', value: 'x' }] }, options: { maxRetries: 1, maxRetrySeconds: 5 } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow is not available right now after 2 attempts .*\[item 0\]$/);
		expect(updates()).toHaveLength(2);

		env.emulator.clearRequests();
		env.emulator.setLatency(150);
		result = await runDocflow({
			parameters: updateParameters('={{ $json.id }}', {
				changes: { field: [{ name: 'Remarks', value: '={{ $json.note }}' }] },
				options: { batching: { batch: { itemsPerBatch: 2, batchInterval: 0 } } },
			}),
			credentials: credentialFor(env.emulator),
			items: [{ json: { id: b.fileId, note: 'second' } }, { json: { id: a.fileId, note: 'first' } }],
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.pairedItem, i.json.file_id, (i.json.fields as any).Remarks])).toEqual([
			[{ item: 0 }, b.fileId, 'second'],
			[{ item: 1 }, a.fileId, 'first'],
		]);
		// the two updates were in flight together
		const [first, second] = updates();
		expect(Math.abs(first.receivedAt - second.receivedAt)).toBeLessThan(140);
	});

	test('DocFlow’s refusal comes back with its code and message', async () => {
		const { fileId } = await finishedInvoice();
		env.emulator.injectFault({ path: 'file/update', kind: 'business', code: 40004, msg: 'file not found' });
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changes: { field: [{ name: 'Remarks', value: 'x' }] } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow refused the request to file\/update \(DocFlow code 40004, “file not found”, HTTP 200, trace ID [0-9a-f]+\) \[item 0\]$/);
	});
});

describe('File → Update Result: bad input is refused before anything is written', () => {
	const badInputs: Array<[string, Record<string, unknown>, IDataObject | undefined, string]> = [
		['no change at all', { changes: {} }, undefined, 'Nothing to update: no field or table is given [item 0]'],
		['a field without a name', { changes: { field: [{ name: ' ', value: 'x' }] } }, undefined, 'A field in Fields to Update has no name [item 0]'],
		[
			'a field listed twice',
			{ changes: { field: [{ name: 'Remarks', value: 'a' }, { name: 'Remarks', value: 'b' }] } },
			undefined,
			'The field “Remarks” is listed twice [item 0]',
		],
		[
			'a value that is an object',
			{ changes: { field: [{ name: 'Remarks', value: '={{ $json.v }}' }] } },
			{ v: { a: 1 } },
			'Field “Remarks” must be text, but it is an object [item 0]',
		],
		[
			'rows that are not a list',
			{ changes: { table: [{ name: 'Goods Details', rows: '{"Quantity": "1"}' }] } },
			undefined,
			'The rows of table “Goods Details” must be a list, but they are an object [item 0]',
		],
		[
			'rows that are not JSON',
			{ changes: { table: [{ name: 'Goods Details', rows: '[{Quantity: 1}' }] } },
			undefined,
			'The rows of table “Goods Details” are not valid JSON: ',
		],
		['JSON without fields or tables', { changesMode: 'json', resultJson: '={{ $json }}' }, { a: 1 }, 'Result JSON has neither “fields” nor “tables” [item 0]'],
		['JSON that is a list', { changesMode: 'json', resultJson: '[1]' }, undefined, 'Result JSON must be an object, but it is a list [item 0]'],
		[
			'fields that are a list',
			{ changesMode: 'json', resultJson: '={{ { fields: ["a"] } }}' },
			undefined,
			'“fields” in Result JSON must be an object (name → value), but it is a list [item 0]',
		],
		['an empty File ID', { file: byId('={{ $json.id }}') }, { id: '' }, 'File ID is empty [item 0]'],
		['a File ID that is a list', { file: byId('={{ $json.id }}') }, { id: ['1', '2'] }, 'File ID must be one value, but it is a list of 2 values [item 0]'],
	];

	test.each(badInputs)('%s', async (_label, parameters, json, message) => {
		const { fileId } = await finishedInvoice();
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changes: { field: [{ name: 'Remarks', value: 'ok' }] }, ...parameters }),
			credentials: credentialFor(env.emulator),
			// item 0 is the bad one; item 1 would be fine
			items: [{ json: json ?? {} }, { json: {} }],
		});
		expect(result.error?.message.startsWith(message)).toBe(true);
		expect(result.error?.description).toBeTruthy();
		expect(env.emulator.requests).toHaveLength(0);
	});

	/** Bad against what the file is: found by reading it, refused before any item writes. */
	const badAgainstFile: Array<[string, Record<string, unknown>, RegExp]> = [
		[
			'an unknown field (the error lists the file’s fields)',
			{ fields: { 'Invoice No': '1' } },
			/^File \d+ has no field “Invoice No”; its fields are “Invoice Code”, “Invoice Number”, “Invoice Date”, “Seller Name”, “Buyer Name”, “Total Amount”, “Remarks” \[item 1\]$/,
		],
		['an unknown table', { tables: { Goods: [] } }, /^File \d+ has no table “Goods”; its tables are “Goods Details”, “Tax Summary” \[item 1\]$/],
		[
			'a changed table DocFlow’s update cannot write',
			{ tables: { 'Tax Summary': [{ 'Tax Rate': '9%', 'Tax Amount': '1300.00' }] } },
			/^DocFlow’s update cannot change table “Tax Summary”: it writes the fields and the main table \(“Goods Details”\) only \[item 1\]$/,
		],
		[
			'an unknown column',
			{ tables: { 'Goods Details': [{ Price: '1' }] } },
			/^Table “Goods Details” of file \d+ has no column “Price”; its columns are “Goods and Services Name”, “Specification Model”, “Quantity”, “Amount” \[item 1\]$/,
		],
	];

	test.each(badAgainstFile)('%s: nothing is written for any item', async (_label, bad, message) => {
		const { fileId } = await finishedInvoice();
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changesMode: 'json', resultJson: '={{ $json.changes }}' }),
			credentials: credentialFor(env.emulator),
			// item 0 is fine, item 1 is not: item 0 is not written either
			items: [{ json: { changes: { fields: { Remarks: 'ok' } } } }, { json: { changes: bad } }],
		});
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toBeTruthy();
		expect(updates()).toHaveLength(0);
		expect(fetches()).toHaveLength(2);
	});

	test('the unchanged rows of a table the update cannot write are accepted', async () => {
		const { fileId } = await finishedInvoice();
		const result = await runDocflow({
			parameters: updateParameters(fileId, {
				changes: {
					field: [{ name: 'Remarks', value: 'ok' }],
					table: [{ name: 'Tax Summary', rows: '[{"Tax Amount": "1300.00", "Tax Rate": "13%"}]' }],
				},
			}),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(updates()).toHaveLength(1);
	});

	test.each([
		['unknown', async () => ({ fileId: '404' }), /^File 404 was not found in workspace 1234567890 \[item 0\]$/],
		[
			'still being processed',
			async () => {
				env.emulator.setStepMs(60_000);
				return { fileId: (await seedUpload(env.emulator, ['slow.pdf'])).files[0].id };
			},
			/^File \d+ is still being processed \((Preparing|Parsing)\); Update Result needs a finished one \[item 0\]$/,
		],
		[
			'failed',
			async () => {
				const id = (await seedUpload(env.emulator, ['will-fail.pdf'])).files[0].id;
				env.emulator.finishAll();
				return { fileId: id };
			},
			/^DocFlow could not process file \d+ \(regular\): it has no result to change \[item 0\]$/,
		],
		[
			'a split parent (the error names its parts)',
			async () => {
				const id = (await seedUpload(env.emulator, ['pack.pdf'], { split_flag: 'true' })).files[0].id;
				env.emulator.finishAll();
				return { fileId: id };
			},
			/^File \d+ is a split or crop parent: its parts hold the extracted results \[item 0\]$/,
		],
	])('a file that is %s', async (_label, seed, message) => {
		const { fileId } = await seed();
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changes: { field: [{ name: 'Remarks', value: 'x' }] } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(message);
		if (_label.startsWith('a split')) expect(result.error?.description).toMatch(/^Run Update Result on a part instead: file IDs \d+ \(pack_1\.pdf\), \d+ \(pack_2\.pdf\)\.$/);
		expect(updates()).toHaveLength(0);
	});

	test.each([['continueRegularOutput'], ['continueErrorOutput']] as const)('Continue On Fail (%s): the bad items fail on their own, the good ones are written', async (onError) => {
		const { fileId } = await finishedInvoice();
		const result = await runDocflow({
			parameters: updateParameters(fileId, { changes: { field: [{ name: '={{ $json.name }}', value: '={{ $json.value }}' }] } }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { name: 'Remarks', value: 'first' } },
				{ json: { name: 'Nope', value: 'x' } },
				{ json: { name: '', value: 'x' } },
				{ json: { name: 'Buyer Name', value: 'last' } },
			],
			onError,
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(updates()).toHaveLength(2);
		const errors = onError === 'continueErrorOutput' ? result.errorItems : result.items.filter((i) => i.json.error);
		const good = onError === 'continueErrorOutput' ? result.items : result.items.filter((i) => !i.json.error);
		expect(good.map((i) => [i.pairedItem, (i.json.fields as any).Remarks, (i.json.fields as any)['Buyer Name']])).toEqual([
			[{ item: 0 }, 'first', 'Beijing Sample Trading Co., Ltd.'],
			[{ item: 3 }, 'first', 'last'],
		]);
		const messages = errors.map((i) => [i.pairedItem, onError === 'continueErrorOutput' ? (i.json.error as any).message : i.json.error]);
		expect(messages).toEqual([
			[{ item: 1 }, expect.stringMatching(/^File \d+ has no field “Nope”; its fields are “Invoice Code”.* \[item 1\]$/)],
			[{ item: 2 }, 'A field in Fields to Update has no name [item 2]'],
		]);
		const first = onError === 'continueErrorOutput' ? (errors[0].json.error as any) : errors[0].json;
		expect(first).toMatchObject({ workspace_id: WORKSPACE_ID, file_id: fileId });
	});
});

describe('File → Update Result: the File picker', () => {
	test('From List: the workspace’s files by name, valued by file ID, parts under their parent; searchable; page by page', async () => {
		const names = Array.from({ length: 50 }, (_, i) => `doc-${String(i + 1).padStart(2, '0')}.pdf`);
		await seedUpload(env.emulator, names);
		const split = await seedUpload(env.emulator, ['pack.pdf'], { split_flag: 'true' });
		env.emulator.finishAll();
		const [pack] = (await rawFetch(env.emulator, { batch_number: split.batch_number })).files as any[];
		env.emulator.clearRequests();
		const { context, nodeType } = await loadOptionsContext(updateParameters(''), credentialFor(env.emulator), 'parameters.file');
		const first = await nodeType.methods.listSearch.searchFiles.call(context);
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({ name: 'doc-01.pdf', value: expect.stringMatching(/^\d{19}$/), description: expect.stringMatching(/^发票 · success · batch \d+$/) });
		expect(first.paginationToken).toBe('2');
		expect(env.emulator.requests[0].query).toEqual({ workspace_id: WORKSPACE_ID, page: '1', page_size: '50' });

		const second = await nodeType.methods.listSearch.searchFiles.call(context, undefined, first.paginationToken);
		expect(second.results.map((r) => [r.name, r.value])).toEqual([
			['pack.pdf', pack.id],
			['pack.pdf › pack_1.pdf', pack.child_files[0].id],
			['pack.pdf › pack_2.pdf', pack.child_files[1].id],
		]);
		expect(second.paginationToken).toBeUndefined();
		// page 2 is the second 50 of one request for the first 100
		expect(env.emulator.requests[1].query).toEqual({ workspace_id: WORKSPACE_ID, page: '1', page_size: '100' });

		const found = await nodeType.methods.listSearch.searchFiles.call(context, 'DOC-07');
		expect(found.results.map((r) => r.name)).toEqual(['doc-07.pdf']);
	});

	test('without a workspace it asks for one, and sends nothing', async () => {
		const { context, nodeType } = await loadOptionsContext(
			{ ...updateParameters(''), workspace: workspace('') },
			credentialFor(env.emulator),
			'parameters.file',
		);
		await expect(nodeType.methods.listSearch.searchFiles.call(context)).rejects.toThrow('Choose a workspace first to list its files');
		expect(env.emulator.requests).toHaveLength(0);
	});
});
