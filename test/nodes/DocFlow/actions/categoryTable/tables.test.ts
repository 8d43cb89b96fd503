import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, RECEIPT, byId, expectItemError, fieldsNow, fromList, hits } from '../category/helpers.ts';

const env = useEmulator();

const GOODS = '3900000000000001001';
const TAX = '3900000000000001002';

const base = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'categoryTable',
	operation,
	workspace: workspace(),
	categoryId: fromList(INVOICE),
	...extra,
});

describe('Category Table → Get Many', () => {
	test('tables/list: the spec’s keys, one item each', async () => {
		const result = await runDocflow({ parameters: base('getAll'), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/tables/list')[0].query).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE });
		expect(result.items).toEqual([
			{
				json: { workspace_id: WORKSPACE_ID, category_id: INVOICE, id: GOODS, name: 'Goods Details', prompt: '', collect_from_multi_table: true, extract_model: 'Acgpt' },
				pairedItem: { item: 0 },
			},
			{
				json: { workspace_id: WORKSPACE_ID, category_id: INVOICE, id: TAX, name: 'Tax Summary', prompt: '', collect_from_multi_table: false, extract_model: 'DF-M1' },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Include Columns reads fields/list instead, which has each table’s columns; Limit', async () => {
		const result = await runDocflow({
			parameters: base('getAll', { returnAll: false, limit: 1, options: { includeColumns: true } }),
			credentials: credentialFor(env.emulator),
		});
		expect(env.emulator.requests.map((r) => r.path.split('/v2/')[1])).toEqual(['category/fields/list']);
		expect(result.items).toHaveLength(1);
		expect((result.items[0].json.fields as Array<{ name: string }>).map((f) => f.name)).toEqual([
			'Goods and Services Name',
			'Specification Model',
			'Quantity',
			'Amount',
		]);
	});

	test('an unknown category is said plainly', async () => {
		await expectItemError(
			env.emulator,
			{ parameters: base('getAll', { categoryId: byId('42') }), credentials: credentialFor(env.emulator) },
			0,
			`Category 42 does not exist in workspace ${WORKSPACE_ID} [item 0]`,
			{ beforeAnyRequest: false },
		);
	});
});

describe('Category Table → Add', () => {
	const add = (extra: Record<string, unknown> = {}) => base('add', { tableName: '={{ $json.name }}', ...extra });

	test('the items of one category go in one tables/batch_add with their settings and columns; each outputs its table', async () => {
		const result = await runDocflow({
			parameters: add({
				additionalFields: {
					prompt: '={{ $json.prompt }}',
					mergeTables: true,
					extractModel: 'DF-M1',
					columnNames: '={{ $json.columns }}',
				},
			}),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { name: 'Fees', prompt: 'One row per fee', columns: 'Fee, Amount' } },
				{ json: { name: 'Payments', prompt: 'One row per payment', columns: ['Date', 'Amount'] } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(env.emulator.requests.map((r) => r.path.split('/v2/')[1])).toEqual(['category/tables/list', 'category/tables/batch_add']);
		expect(hits(env.emulator, 'category/tables/batch_add')[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			tables: [
				{ name: 'Fees', prompt: 'One row per fee', collect_from_multi_table: true, extract_model: 'DF-M1', fields: [{ name: 'Fee' }, { name: 'Amount' }] },
				{ name: 'Payments', prompt: 'One row per payment', collect_from_multi_table: true, extract_model: 'DF-M1', fields: [{ name: 'Date' }, { name: 'Amount' }] },
			],
			with_detail: true,
		});
		const stored = (await fieldsNow(env.emulator)).tables.slice(-2);
		expect(result.items.map((i) => [i.pairedItem, i.json.table_id, i.json.name])).toEqual([
			[{ item: 0 }, stored[0].id, 'Fees'],
			[{ item: 1 }, stored[1].id, 'Payments'],
		]);
		expect(result.items[0].json).toMatchObject({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			collect_from_multi_table: true,
			extract_model: 'DF-M1',
			fields: [{ name: 'Fee', extract_model: 'DF-M1' }, { name: 'Amount' }],
		});
		expect(result.items[0].json.id).toBeUndefined();
	});

	test('Columns (JSON): every setting of a column', async () => {
		const columns = [{ name: 'Amount', alias: ['Sum'], transform_settings: { type: 'regex', regex_settings: { match: ',', replace: '' } } }];
		const result = await runDocflow({
			parameters: add({ additionalFields: { columnsJson: JSON.stringify(columns) } }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { name: 'Lines' } }],
		});
		expect(result.error).toBeUndefined();
		expect((hits(env.emulator, 'category/tables/batch_add')[0].json as { tables: unknown[] }).tables).toEqual([{ name: 'Lines', fields: columns }]);
	});

	test.each([
		['an empty name', [{ json: { name: '' } }], {}, 0, 'Table Name is empty [item 0]'],
		['a name of 51 characters', [{ json: { name: 't'.repeat(51) } }], {}, 0, `Table Name “${'t'.repeat(51)}” is 51 characters long; DocFlow allows at most 50 [item 0]`],
		['a prompt of 201 characters', [{ json: { name: 'T' } }], { additionalFields: { prompt: 'p'.repeat(201) } }, 0, 'Prompt is 201 characters long; DocFlow allows at most 200 [item 0]'],
		['merging with Acgpt-VL', [{ json: { name: 'T' } }], { additionalFields: { mergeTables: true, extractModel: 'Acgpt-VL' } }, 0, 'Merge Tables Across the Document cannot be used with the extraction model Acgpt-VL [item 0]'],
		['a name twice in the input', [{ json: { name: 'T' } }, { json: { name: 'T' } }], {}, 1, 'Item 0 already adds a table named “T” to the same category [item 1]'],
		['a column twice', [{ json: { name: 'T' } }], { additionalFields: { columnNames: 'A, B, A' } }, 0, 'Column Names names the field “A” twice [item 0]'],
		['both column inputs', [{ json: { name: 'T' } }], { additionalFields: { columnNames: 'A', columnsJson: '[{"name":"B"}]' } }, 0, 'Both Column Names and Columns (JSON) are set [item 0]'],
		[
			'101 columns in one request',
			[{ json: { name: 'T' } }],
			{ additionalFields: { columnNames: Array.from({ length: 101 }, (_, i) => `C${i}`).join(',') } },
			0,
			'Column Names has 101 fields; the node sends at most 100 in one request [item 0]',
		],
	])('refuses %s before any request', async (_what, items, extra, itemIndex, message) => {
		await expectItemError(env.emulator, { parameters: add(extra), credentials: credentialFor(env.emulator), items }, itemIndex, message);
	});

	test('a name the category has already fails that item alone (both outputs)', async () => {
		const { errorOutput } = await expectItemError(
			env.emulator,
			{ parameters: add(), credentials: credentialFor(env.emulator), items: [{ json: { name: 'Fees' } }, { json: { name: 'Tax Summary' } }] },
			1,
			`A table named “Tax Summary” already exists in category ${INVOICE} (table ID ${TAX}) [item 1]`,
			{ beforeAnyRequest: false },
		);
		expect(errorOutput.items.map((i) => [i.pairedItem, i.json.name])).toEqual([[{ item: 0 }, 'Fees']]);
	});

	test('a lost answer: found in tables/list, not sent again; a request DocFlow never got is sent again', async () => {
		env.emulator.injectFault({ path: 'category/tables/batch_add', kind: 'reset-after' });
		let result = await runDocflow({ parameters: add(), credentials: credentialFor(env.emulator), items: [{ json: { name: 'Fees' } }] });
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/tables/batch_add')).toHaveLength(1);
		const fees = (await fieldsNow(env.emulator)).tables.filter((t) => t.name === 'Fees');
		expect(fees).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ table_id: fees[0].id, name: 'Fees' });

		env.emulator.reset();
		env.emulator.injectFault({ path: 'category/tables/batch_add', kind: 'reset-before' });
		result = await runDocflow({ parameters: add(), credentials: credentialFor(env.emulator), items: [{ json: { name: 'Fees' } }] });
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/tables/batch_add').map((r) => r.fault ?? 'answered')).toEqual(['reset-before', 'answered']);
		expect((await fieldsNow(env.emulator)).tables.filter((t) => t.name === 'Fees')).toHaveLength(1);
	});
});

describe('Category Table → Update', () => {
	const update = (updateFields: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		base('update', { tableId: fromList('={{ $json.table }}'), updateFields, ...extra });

	test('the items of one category go in one tables/batch_update; each outputs its table with the changes', async () => {
		const result = await runDocflow({
			parameters: update({ name: '={{ $json.name }}', prompt: 'rows', extractModel: 'Acgpt', mergeTables: false }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { table: GOODS, name: 'Lines' } },
				{ json: { table: TAX, name: 'Taxes' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/tables/batch_update')[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			tables: [
				{ table_id: GOODS, prompt: 'rows', collect_from_multi_table: false, extract_model: 'Acgpt', name: 'Lines' },
				{ table_id: TAX, prompt: 'rows', collect_from_multi_table: false, extract_model: 'Acgpt', name: 'Taxes' },
			],
		});
		expect(result.items.map((i) => [i.pairedItem, i.json])).toEqual([
			[{ item: 0 }, { workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: GOODS, name: 'Lines', prompt: 'rows', collect_from_multi_table: false, extract_model: 'Acgpt' }],
			[{ item: 1 }, { workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: TAX, name: 'Taxes', prompt: 'rows', collect_from_multi_table: false, extract_model: 'Acgpt' }],
		]);
		expect((await fieldsNow(env.emulator)).tables.map((t) => t.name)).toEqual(['Lines', 'Taxes']);
	});

	test('a missing table, a taken name, merging with Acgpt-VL: each fails on its own; a lost answer is sent again', async () => {
		const { regular } = await expectItemError(
			env.emulator,
			{
				parameters: update(
					{ name: '={{ $json.name }}', extractModel: '={{ $json.model }}', mergeTables: '={{ $json.merge }}' },
					{ categoryId: byId('={{ $json.category }}') },
				),
				credentials: credentialFor(env.emulator),
				items: [
					{ json: { category: INVOICE, table: '77', name: 'X', model: 'Auto', merge: false } },
					// Goods Details merges tables already: Acgpt-VL cannot.
					{ json: { category: INVOICE, table: GOODS, name: 'Goods Details', model: 'Acgpt-VL' } },
					{ json: { category: INVOICE, table: TAX, name: 'Goods Details', model: 'Auto', merge: false } },
					{ json: { category: RECEIPT, table: '3900000000000002001', name: 'Items', model: 'DF-M1', merge: true } },
				],
			},
			0,
			`Table 77 does not exist in category ${INVOICE} [item 0]`,
			{ beforeAnyRequest: false },
		);
		expect(regular.items.map((i) => i.json.error ?? i.json.name)).toEqual([
			`Table 77 does not exist in category ${INVOICE} [item 0]`,
			'Table “Goods Details” would merge tables with the extraction model Acgpt-VL, which cannot [item 1]',
			`Another table of category ${INVOICE} is named “Goods Details” (table ID ${GOODS}) [item 2]`,
			'Items',
		]);
		expect(hits(env.emulator, 'category/tables/batch_update').map((r) => (r.json as { category_id: string }).category_id)).toEqual([RECEIPT]);

		env.emulator.reset();
		env.emulator.injectFault({ path: 'category/tables/batch_update', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: update({ prompt: 'again' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { table: GOODS } }],
		});
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/tables/batch_update')).toHaveLength(2);
	});

	test.each([
		['no Update Fields', {}, [{ json: { table: GOODS } }], 0, 'Nothing to update: no Update Fields are set [item 0]'],
		['one table twice', { prompt: 'p' }, [{ json: { table: GOODS } }, { json: { table: GOODS } }], 1, `Item 0 already updates table ${GOODS} [item 1]`],
		['an empty table', { prompt: 'p' }, [{ json: {} }], 0, 'Table is empty [item 0]'],
	])('refuses %s before any request', async (_what, fields, items, itemIndex, message) => {
		await expectItemError(env.emulator, { parameters: update(fields), credentials: credentialFor(env.emulator), items }, itemIndex, message);
	});
});

describe('Category Table → Delete', () => {
	const remove = (extra: Record<string, unknown> = {}) => base('delete', { tableId: byId('={{ $json.table }}'), ...extra });

	test('the items of one category go in one tables/delete (With Continue On Fail, also when not consecutive); the columns go with their table', async () => {
		const result = await runDocflow({
			parameters: remove({ categoryId: byId('={{ $json.category }}') }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { category: INVOICE, table: GOODS } },
				{ json: { category: RECEIPT, table: '3900000000000002002' } },
				{ json: { category: INVOICE, table: TAX } },
			],
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/tables/delete').map((r) => r.json)).toEqual([
			{ workspace_id: WORKSPACE_ID, category_id: INVOICE, table_ids: [GOODS, TAX] },
			{ workspace_id: WORKSPACE_ID, category_id: RECEIPT, table_ids: ['3900000000000002002'] },
		]);
		expect(result.items.map((i) => [i.pairedItem, i.json])).toEqual([
			[{ item: 0 }, { workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: GOODS, name: 'Goods Details', deleted: true }],
			[{ item: 1 }, { workspace_id: WORKSPACE_ID, category_id: RECEIPT, table_id: '3900000000000002002', name: 'Tax Summary', deleted: true }],
			[{ item: 2 }, { workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: TAX, name: 'Tax Summary', deleted: true }],
		]);
		expect((await fieldsNow(env.emulator)).tables).toEqual([]);
	});

	test('deleting what does not exist fails that item alone; the same table twice is refused before sending', async () => {
		await expectItemError(
			env.emulator,
			{ parameters: remove(), credentials: credentialFor(env.emulator), items: [{ json: { table: GOODS } }, { json: { table: '77' } }] },
			1,
			`Table 77 does not exist in category ${INVOICE} [item 1]`,
			{ beforeAnyRequest: false },
		);
		expect(hits(env.emulator, 'category/tables/delete').map((r) => (r.json as { table_ids: string[] }).table_ids)).toEqual([[GOODS]]);
		await expectItemError(
			env.emulator,
			{ parameters: remove(), credentials: credentialFor(env.emulator), items: [{ json: { table: GOODS } }, { json: { table: GOODS } }] },
			1,
			`Table ${GOODS} is deleted by item 0 already [item 1]`,
		);
	});

	test('a lost answer: gone means done, not sent again; when the look-up fails too, “may have been deleted”', async () => {
		env.emulator.injectFault({ path: 'category/tables/delete', kind: 'reset-after' });
		let result = await runDocflow({ parameters: remove(), credentials: credentialFor(env.emulator), items: [{ json: { table: GOODS } }] });
		expect(result.error).toBeUndefined();
		expect(hits(env.emulator, 'category/tables/delete')).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ table_id: GOODS, deleted: true });

		env.emulator.reset();
		env.emulator.injectFault({ path: 'category/tables/list', kind: 'delay', ms: 0 });
		env.emulator.injectFault({ path: 'category/tables/delete', kind: 'reset-after' });
		env.emulator.injectFault({ path: 'category/tables/list', kind: 'status', status: 500, times: 3 });
		result = await runDocflow({
			parameters: remove({ options: { maxRetries: 0 } }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { table: GOODS } }],
		});
		expect(result.error?.message).toBe(
			`Tables ${GOODS} of category ${INVOICE} may have been deleted: DocFlow’s answer got lost, and looking it up afterwards failed too [item 0]`,
		);
		expect(hits(env.emulator, 'category/tables/delete')).toHaveLength(1);
	});
});
