import FormData from 'form-data';

import type { DocflowEmulator } from './index.ts';
import { WS, fakePdf, form } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';
import { CATEGORY_MSG } from './routes/category.ts';

const INVOICE = '1900000000000000001';
const OLD_FORM = '1900000000000000004';

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started));
const post = (endpoint: string, json: unknown) => api('POST', endpoint, { json });

function createForm(fields: Record<string, string>, samples: Array<{ name: string; data: Buffer }> = [{ name: 'sample.pdf', data: fakePdf('s') }]) {
	const f = new FormData();
	for (const [name, value] of Object.entries(fields)) f.append(name, value);
	for (const s of samples) f.append('sample_files', s.data, { filename: s.name, contentType: 'application/pdf' });
	return f;
}

const createFields = (extra: Record<string, string> = {}) => ({
	workspace_id: WS,
	name: 'Purchase Order',
	extract_model: 'Acgpt',
	fields: JSON.stringify([{ name: 'PO Number', alias: ['Order No.'] }, { name: 'Supplier' }]),
	...extra,
});

const categories = async (enabled = 'all') =>
	(await api('GET', 'category/list', { query: { workspace_id: WS, enabled, page_size: 100 } })).json.result.categories as Array<Record<string, unknown>>;

const fieldsOf = async (categoryId = INVOICE) =>
	(await api('GET', 'category/fields/list', { query: { workspace_id: WS, category_id: categoryId } })).json;

describe('category/list, create, update, delete', () => {
	test('list pages (page_size at most 100) and filters by enabled', async () => {
		const all = await api('GET', 'category/list', { query: { workspace_id: WS, enabled: 'all', page: 2, page_size: 3 } });
		expect(all.json.result).toMatchObject({ total: 4, page: 2, page_size: 3 });
		expect(all.json.result.categories.map((c: { name: string }) => c.name)).toEqual(['old form']);
		expect((await categories('0')).map((c) => c.id)).toEqual([OLD_FORM]);
		expect((await api('GET', 'category/list', { query: { workspace_id: WS, page_size: 101 } })).json.code).toBe(40004);
	});

	test('create takes multipart (fields and tables as JSON text, sample_files); the category is listed and enabled', async () => {
		const r = await api('POST', 'category/create', {
			form: createForm(
				createFields({
					category_prompt: 'Orders from suppliers',
					description: 'POs',
					tables: JSON.stringify([{ name: 'Lines', collect_from_multi_table: true, fields: [{ name: 'Item' }, { name: 'Qty' }] }]),
					with_detail: 'true',
				}),
				[
					{ name: 'po-1.pdf', data: fakePdf('1') },
					{ name: 'po-2.png', data: fakePdf('2') },
				],
			),
		});
		expect(r.json).toMatchObject({ code: 200, msg: 'success' });
		const created = r.json.result;
		expect(created).toMatchObject({
			category_id: expect.stringMatching(/^\d{19}$/),
			name: 'Purchase Order',
			description: 'POs',
			category_prompt: 'Orders from suppliers',
			extract_model: 'Acgpt',
			enabled: 1,
			fields: [
				{ name: 'PO Number', alias: ['Order No.'], extract_model: 'Acgpt', enabled: 1 },
				{ name: 'Supplier', alias: [] },
			],
			tables: [{ name: 'Lines', collect_from_multi_table: true, extract_model: 'Acgpt', fields: [{ name: 'Item' }, { name: 'Qty' }] }],
			samples: [{ file_name: 'po-1.pdf' }, { file_name: 'po-2.png' }],
		});
		expect(created.id).toBeUndefined();
		expect((await categories('1')).map((c) => c.name)).toContain('Purchase Order');
		expect((await fieldsOf(created.category_id)).result.fields.map((f: { name: string }) => f.name)).toEqual(['PO Number', 'Supplier']);
		// The category's samples are the files it was created with.
		const samples = await api('GET', 'category/sample/list', { query: { workspace_id: WS, category_id: created.category_id } });
		expect(samples.json.result.samples.map((s: { file_name: string }) => s.file_name)).toEqual(['po-1.pdf', 'po-2.png']);

		// Without with_detail only the ID comes back.
		const bare = await api('POST', 'category/create', { form: createForm(createFields({ name: 'Delivery Note' })) });
		expect(Object.keys(bare.json.result)).toEqual(['category_id']);
	});

	test('a created category is accepted by upload; disabled, it is refused', async () => {
		const created = (await api('POST', 'category/create', { form: createForm(createFields()) })).json.result.category_id;
		const upload = () =>
			api('POST', 'file/upload', { query: { workspace_id: WS, category: 'Purchase Order' }, form: form([{ name: 'po.pdf', data: fakePdf('x') }]) });
		expect((await upload()).json.code).toBe(200);
		expect((await post('category/update', { workspace_id: WS, category_id: created, enabled: 0 })).json.code).toBe(200);
		const refused = await upload();
		expect(refused.json).toMatchObject({ code: 40004, msg: 'category does not exist: Purchase Order' });
	});

	test.each([
		['no multipart', undefined, 40004, 'content type must be multipart/form-data'],
		['a name of 51 characters', createFields({ name: 'x'.repeat(51) }), 40004, 'invalid name: at most 50 characters'],
		['a prompt of 151 characters', createFields({ category_prompt: 'p'.repeat(151) }), 40004, 'invalid category_prompt: at most 150 characters'],
		['an unknown model', createFields({ extract_model: 'GPT' }), 40004, 'invalid extract_model: must be one of Auto, Acgpt, Acgpt-VL, DF-M1'],
		['no fields', { ...createFields(), fields: '[]' }, 40004, 'invalid fields: at least 1 item(s)'],
		['fields that are not JSON', { ...createFields(), fields: '{oops' }, 40004, 'invalid fields: must be a JSON array'],
		['a field without a name', { ...createFields(), fields: '[{"description":"x"}]' }, 40004, 'name is required'],
		['a field name twice', { ...createFields(), fields: '[{"name":"A"},{"name":"A"}]' }, 40004, `${CATEGORY_MSG.FIELD_NAME_REPEATED}: A`],
		['a name the workspace has', createFields({ name: 'receipt' }), 40004, `${CATEGORY_MSG.CATEGORY_NAME_EXISTS}: receipt`],
		['Acgpt-VL merging tables', createFields({ tables: '[{"name":"T","collect_from_multi_table":true,"extract_model":"Acgpt-VL"}]' }), 40004, CATEGORY_MSG.VL_NO_MERGE],
	])('create refuses %s', async (_what, fields, code, msg) => {
		const r = fields
			? await api('POST', 'category/create', { form: createForm(fields as Record<string, string>) })
			: await post('category/create', { workspace_id: WS, name: 'x' });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ code, msg });
		expect((await categories()).length).toBe(4);
	});

	test('create refuses no sample, 11 samples, an empty one and an unsupported format', async () => {
		const cases: Array<[Array<{ name: string; data: Buffer }>, string]> = [
			[[], 'sample_files is required'],
			[Array.from({ length: 11 }, (_, i) => ({ name: `s${i}.pdf`, data: fakePdf(String(i)) })), 'too many sample_files: at most 10 per request'],
			[[{ name: 'empty.pdf', data: Buffer.alloc(0) }], 'sample file is empty: empty.pdf'],
			[[{ name: 'movie.mp4', data: fakePdf('m') }], 'unsupported sample file format: movie.mp4'],
		];
		for (const [samples, msg] of cases) {
			const r = await api('POST', 'category/create', { form: createForm(createFields(), samples) });
			expect(r.json).toMatchObject({ code: 40004, msg });
		}
	});

	test('update renames, sets the prompt and status, cascades the model; checks as the spec', async () => {
		const r = await post('category/update', {
			workspace_id: WS,
			category_id: INVOICE,
			name: 'VAT Invoice',
			category_prompt: 'VAT invoices',
			enabled: 2,
			extract_model: 'DF-M1',
			with_detail: true,
		});
		expect(r.json.result).toEqual({
			id: INVOICE,
			name: 'VAT Invoice',
			description: 'VAT invoice',
			category_prompt: 'VAT invoices',
			extract_model: 'DF-M1',
			enabled: 2,
		});
		const fields = (await fieldsOf()).result;
		expect(fields.fields.every((f: { extract_model: string }) => f.extract_model === 'DF-M1')).toBe(true);
		expect(fields.tables.every((t: { extract_model: string }) => t.extract_model === 'DF-M1')).toBe(true);
		// Without with_detail: no result.
		expect((await post('category/update', { workspace_id: WS, category_id: INVOICE, enabled: 1 })).json).toEqual({ code: 200, msg: 'success' });

		for (const [body, msg] of [
			[{ workspace_id: WS }, 'category_id is required'],
			[{ workspace_id: WS, category_id: '42' }, CATEGORY_MSG.CATEGORY_NOT_FOUND],
			[{ workspace_id: WS, category_id: INVOICE, enabled: '1' }, 'invalid enabled: must be 0, 1 or 2'],
			[{ workspace_id: WS, category_id: INVOICE, name: 'receipt' }, `${CATEGORY_MSG.CATEGORY_NAME_EXISTS}: receipt`],
			[{ workspace_id: WS, category_id: INVOICE, name: '  ' }, 'name must not be empty'],
		] as const) {
			expect((await post('category/update', body)).json).toMatchObject({ code: 40004, msg });
		}
		expect((await post('category/update', { workspace_id: '999', category_id: INVOICE })).json).toMatchObject({ code: 40004, msg: '工作空间不存在' });
	});

	test('delete takes a list, all or nothing; a deleted category is gone', async () => {
		const refused = await post('category/delete', { workspace_id: WS, category_ids: [OLD_FORM, '42'] });
		expect(refused.json).toMatchObject({ code: 40004, msg: `${CATEGORY_MSG.CATEGORY_NOT_FOUND}: 42` });
		expect((await categories()).length).toBe(4);
		expect((await post('category/delete', { workspace_id: WS, category_ids: [] })).json.msg).toBe('invalid category_ids: at least 1 item(s)');
		expect((await post('category/delete', { workspace_id: WS, category_ids: [4] })).json.msg).toBe('invalid category_ids: must be an array of IDs (strings)');
		expect((await post('category/delete', { workspace_id: WS, category_ids: [OLD_FORM, INVOICE] })).json.code).toBe(200);
		expect((await categories()).map((c) => c.id)).toEqual(['1900000000000000002', '1900000000000000003']);
		expect((await fieldsOf(INVOICE)).code).toBe(40004);
		emu.reset();
		expect((await categories()).length).toBe(4);
	});
});

describe('category/fields/…', () => {
	test('every category starts with the fields and tables its documents show', async () => {
		const { result } = await fieldsOf();
		expect(result.fields.map((f: { name: string }) => f.name)).toEqual([
			'Invoice Code',
			'Invoice Number',
			'Invoice Date',
			'Seller Name',
			'Buyer Name',
			'Total Amount',
			'Remarks',
		]);
		expect(result.fields[0]).toEqual({
			id: '3100000000000001001',
			name: 'Invoice Code',
			description: '',
			prompt: '',
			use_prompt: false,
			alias: [],
			identity: 'invoice_code',
			multi_value: false,
			duplicate_value_distinct: false,
			extract_model: 'Acgpt',
			enabled: 1,
		});
		expect(result.tables.map((t: { name: string; fields: Array<{ name: string }> }) => [t.name, t.fields.map((f) => f.name)])).toEqual([
			['Goods Details', ['Goods and Services Name', 'Specification Model', 'Quantity', 'Amount']],
			['Tax Summary', ['Tax Rate', 'Tax Amount']],
		]);
		expect((await api('GET', 'category/fields/list', { query: { workspace_id: WS, category_id: '42' } })).json).toMatchObject({
			code: 40004,
			msg: CATEGORY_MSG.CATEGORY_NOT_FOUND,
		});
	});

	test('batch_add adds regular fields and table columns, one result per field in order; they are listed', async () => {
		const r = await post('category/fields/batch_add', {
			workspace_id: WS,
			category_id: INVOICE,
			fields: [{ name: 'Due Date', prompt: 'Payment due', use_prompt: true }, { name: 'IBAN' }],
			with_detail: true,
		});
		expect(r.json.result).toMatchObject([
			{ field_id: expect.stringMatching(/^\d{19}$/), name: 'Due Date', prompt: 'Payment due', use_prompt: true, extract_model: 'Acgpt' },
			{ field_id: expect.stringMatching(/^\d{19}$/), name: 'IBAN' },
		]);
		const table = (await fieldsOf()).result.tables[0];
		const column = await post('category/fields/batch_add', { workspace_id: WS, category_id: INVOICE, table_id: table.id, fields: [{ name: 'Unit' }] });
		expect(Object.keys(column.json.result[0])).toEqual(['field_id']);
		const after = (await fieldsOf()).result;
		expect(after.fields.slice(-2).map((f: { name: string }) => f.name)).toEqual(['Due Date', 'IBAN']);
		expect(after.tables[0].fields.map((f: { name: string }) => f.name)).toContain('Unit');
	});

	test.each([
		[{ fields: [] }, 'invalid fields: at least 1 item(s)'],
		[{ fields: [{ name: '' }] }, 'name must not be empty'],
		[{ fields: [{ name: 'X', multi_value: 'yes' }] }, 'invalid multi_value: must be a boolean'],
		[{ fields: [{ name: 'X', alias: 'a' }] }, 'invalid fields[0].alias: must be an array of strings'],
		[{ fields: [{ name: 'X', transform_settings: { type: 'upper' } }] }, 'invalid fields[0].transform_settings.type: must be one of datetime, enumerate, regex'],
		[{ fields: [{ name: 'Invoice Number' }] }, `${CATEGORY_MSG.FIELD_NAME_EXISTS}: Invoice Number`],
		[{ fields: [{ name: 'A' }, { name: 'A' }] }, `${CATEGORY_MSG.FIELD_NAME_REPEATED}: A`],
		[{ table_id: '77', fields: [{ name: 'A' }] }, `${CATEGORY_MSG.TABLE_NOT_FOUND}: 77`],
		[{ category_id: '42', fields: [{ name: 'A' }] }, CATEGORY_MSG.CATEGORY_NOT_FOUND],
	])('batch_add refuses %j, adding nothing', async (body, msg) => {
		const before = JSON.stringify((await fieldsOf()).result);
		const r = await post('category/fields/batch_add', { workspace_id: WS, category_id: INVOICE, ...body });
		expect(r.json).toMatchObject({ code: 40004, msg });
		expect(JSON.stringify((await fieldsOf()).result)).toBe(before);
	});

	test('batch_update changes regular fields and columns (all or nothing), with_detail answers them', async () => {
		const { result } = await fieldsOf();
		const column = result.tables[0].fields[0];
		const r = await post('category/fields/batch_update', {
			workspace_id: WS,
			category_id: INVOICE,
			fields: [
				{ field_id: result.fields[1].id, name: 'Invoice No.', alias: ['No.'], extract_model: 'DF-M1' },
				{ field_id: column.id, description: 'Goods', identity: '' },
			],
			with_detail: true,
		});
		expect(r.json.result).toMatchObject([
			{ field_id: result.fields[1].id, name: 'Invoice No.', alias: ['No.'], extract_model: 'DF-M1' },
			{ field_id: column.id, description: 'Goods', identity: '' },
		]);
		const refused: Array<[unknown, string]> = [
			[[{ field_id: '42', name: 'X' }], `${CATEGORY_MSG.FIELD_NOT_FOUND}: 42`],
			[[{ field_id: column.id, extract_model: 'Acgpt' }], CATEGORY_MSG.TABLE_FIELD_MODEL],
			[[{ field_id: result.fields[0].id, name: 'Invoice Date' }], `${CATEGORY_MSG.FIELD_NAME_EXISTS}: Invoice Date`],
			[[{ field_id: result.fields[0].id, name: 'Z' }, { field_id: '42' }], `${CATEGORY_MSG.FIELD_NOT_FOUND}: 42`],
			[[{ name: 'X' }], 'field_id is required'],
			[[], 'invalid fields: at least 1 item(s)'],
		];
		for (const [fields, msg] of refused) {
			expect((await post('category/fields/batch_update', { workspace_id: WS, category_id: INVOICE, fields })).json).toMatchObject({ code: 40004, msg });
		}
		expect((await fieldsOf()).result.fields[0].name).toBe('Invoice Code');
		expect((await post('category/fields/batch_update', { workspace_id: WS, category_id: INVOICE, fields: [{ field_id: column.id, prompt: 'p' }] })).json).toEqual({
			code: 200,
			msg: 'success',
		});
	});

	test('delete removes regular fields, or with table_id a table’s columns; a field elsewhere is not found', async () => {
		const { result } = await fieldsOf();
		const table = result.tables[0];
		const regular = { workspace_id: WS, category_id: INVOICE, field_ids: [result.fields[6].id] };
		// A column is not among the regular fields: the spec needs its table_id.
		expect((await post('category/fields/delete', { ...regular, field_ids: [table.fields[0].id] })).json).toMatchObject({
			code: 40004,
			msg: `${CATEGORY_MSG.FIELD_NOT_FOUND}: ${table.fields[0].id}`,
		});
		expect((await post('category/fields/delete', regular)).json.code).toBe(200);
		expect((await post('category/fields/delete', regular)).json.msg).toBe(`${CATEGORY_MSG.FIELD_NOT_FOUND}: ${result.fields[6].id}`);
		expect((await post('category/fields/delete', { ...regular, table_id: table.id, field_ids: [table.fields[0].id] })).json.code).toBe(200);
		const after = (await fieldsOf()).result;
		expect(after.fields).toHaveLength(6);
		expect(after.tables[0].fields).toHaveLength(3);
	});
});

describe('category/tables/…', () => {
	test('list shows the spec’s table keys, without columns', async () => {
		const r = await api('GET', 'category/tables/list', { query: { workspace_id: WS, category_id: INVOICE } });
		expect(r.json.result.tables).toEqual([
			{ id: '3900000000000001001', name: 'Goods Details', prompt: '', collect_from_multi_table: true, extract_model: 'Acgpt' },
			{ id: '3900000000000001002', name: 'Tax Summary', prompt: '', collect_from_multi_table: false, extract_model: 'DF-M1' },
		]);
	});

	test('batch_add adds tables with their columns; checks names, lengths and the model', async () => {
		const r = await post('category/tables/batch_add', {
			workspace_id: WS,
			category_id: INVOICE,
			tables: [{ name: 'Fees', prompt: 'One row per fee', extract_model: 'DF-M1', fields: [{ name: 'Fee' }, { name: 'Amount' }] }],
			with_detail: true,
		});
		expect(r.json.result).toMatchObject([
			{ table_id: expect.stringMatching(/^\d{19}$/), name: 'Fees', prompt: 'One row per fee', extract_model: 'DF-M1', fields: [{ name: 'Fee', extract_model: 'DF-M1' }, { name: 'Amount' }] },
		]);
		expect((await fieldsOf()).result.tables.map((t: { name: string }) => t.name)).toEqual(['Goods Details', 'Tax Summary', 'Fees']);
		for (const [tables, msg] of [
			[[{ name: 'Fees' }], `${CATEGORY_MSG.TABLE_NAME_EXISTS}: Fees`],
			[[{ name: 'A' }, { name: 'A' }], `${CATEGORY_MSG.TABLE_NAME_REPEATED}: A`],
			[[{ name: 'n'.repeat(51) }], 'invalid name: at most 50 characters'],
			[[{ name: 'P', prompt: 'p'.repeat(201) }], 'invalid prompt: at most 200 characters'],
			[[{ name: 'V', collect_from_multi_table: true, extract_model: 'Acgpt-VL' }], CATEGORY_MSG.VL_NO_MERGE],
			[[], 'invalid tables: at least 1 item(s)'],
		] as const) {
			expect((await post('category/tables/batch_add', { workspace_id: WS, category_id: INVOICE, tables })).json).toMatchObject({ code: 40004, msg });
		}
	});

	test('batch_update changes tables (the model reaches their columns); delete removes them', async () => {
		const [goods, tax] = (await fieldsOf()).result.tables;
		const r = await post('category/tables/batch_update', {
			workspace_id: WS,
			category_id: INVOICE,
			tables: [{ table_id: goods.id, name: 'Lines', extract_model: 'DF-M1' }, { table_id: tax.id, collect_from_multi_table: true }],
		});
		expect(r.json).toEqual({ code: 200, msg: 'success' });
		const after = (await fieldsOf()).result.tables;
		expect(after[0]).toMatchObject({ name: 'Lines', extract_model: 'DF-M1' });
		expect(after[0].fields.every((f: { extract_model: string }) => f.extract_model === 'DF-M1')).toBe(true);
		expect(after[1].collect_from_multi_table).toBe(true);
		for (const [tables, msg] of [
			[[{ table_id: '77', name: 'x' }], `${CATEGORY_MSG.TABLE_NOT_FOUND}: 77`],
			[[{ table_id: goods.id, name: 'Tax Summary' }], `${CATEGORY_MSG.TABLE_NAME_EXISTS}: Tax Summary`],
			[[{ table_id: tax.id, extract_model: 'Acgpt-VL' }], CATEGORY_MSG.VL_NO_MERGE],
		] as const) {
			expect((await post('category/tables/batch_update', { workspace_id: WS, category_id: INVOICE, tables })).json).toMatchObject({ code: 40004, msg });
		}
		expect((await post('category/tables/delete', { workspace_id: WS, category_id: INVOICE, table_ids: [tax.id, '77'] })).json.code).toBe(40004);
		expect((await post('category/tables/delete', { workspace_id: WS, category_id: INVOICE, table_ids: [tax.id] })).json.code).toBe(200);
		expect((await fieldsOf()).result.tables.map((t: { name: string }) => t.name)).toEqual(['Lines']);
	});
});
