import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, RECEIPT, byId, expectItemError, fieldsNow, fromList, hits } from '../category/helpers.ts';

const env = useEmulator();

const INVOICE_CODE = '3100000000000001001';
const INVOICE_NUMBER = '3100000000000001002';
const REMARKS = '3100000000000001007';
const GOODS = '3900000000000001001';
const QUANTITY = '3200000000000001003';

const update = (updateFields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	resource: 'categoryField',
	operation: 'update',
	workspace: workspace(),
	categoryId: fromList(INVOICE),
	fieldId: fromList('={{ $json.field }}'),
	updateFields,
	...extra,
});

const updates = () => hits(env.emulator, 'category/fields/batch_update');

describe('Category Field → Update', () => {
	test('the items of one category go in one batch_update; each item outputs its field as DocFlow now has it', async () => {
		const result = await runDocflow({
			parameters: update({ description: '={{ $json.description }}', name: '={{ $json.name }}' }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { field: INVOICE_NUMBER, name: 'Invoice No.', description: 'Top right' } },
				{ json: { field: QUANTITY, name: 'Qty', description: 'Units' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]}`)).toEqual([
			'GET category/fields/list',
			'POST category/fields/batch_update',
		]);
		// The spec's batch_update has no table_id: a table's column goes by its field_id alone.
		expect(updates()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			fields: [
				{ field_id: INVOICE_NUMBER, description: 'Top right', name: 'Invoice No.' },
				{ field_id: QUANTITY, description: 'Units', name: 'Qty' },
			],
			with_detail: true,
		});
		expect(result.items.map((i) => [i.pairedItem, i.json.field_id, i.json.name, i.json.description, i.json.table_name])).toEqual([
			[{ item: 0 }, INVOICE_NUMBER, 'Invoice No.', 'Top right', null],
			[{ item: 1 }, QUANTITY, 'Qty', 'Units', 'Goods Details'],
		]);
		expect(result.items[1].json).toMatchObject({ table_id: GOODS, identity: 'quantity', extract_model: 'Acgpt' });
		const stored = await fieldsNow(env.emulator);
		expect(stored.fields[1]).toMatchObject({ name: 'Invoice No.', description: 'Top right' });
		expect(stored.tables[0].fields[2]).toMatchObject({ name: 'Qty', description: 'Units' });
	});

	test('every setting on the wire; an empty alias list or export name clears them (the spec)', async () => {
		const result = await runDocflow({
			parameters: update({
				aliases: '',
				exportName: '',
				prompt: 'Printed after No.',
				usePrompt: true,
				multiValue: false,
				removeDuplicates: false,
				extractModel: 'DF-M1',
				transform: { settings: { type: 'regex', pattern: '\\d+', replacement: '$0', mismatch: 'default', defaultValue: '' } },
			}),
			credentials: credentialFor(env.emulator),
			items: [{ json: { field: INVOICE_CODE } }],
		});
		expect(result.error).toBeUndefined();
		expect((updates()[0].json as { fields: unknown[] }).fields).toEqual([
			{
				field_id: INVOICE_CODE,
				prompt: 'Printed after No.',
				use_prompt: true,
				alias: [],
				identity: '',
				multi_value: false,
				duplicate_value_distinct: false,
				transform_settings: { type: 'regex', regex_settings: { match: '\\d+', replace: '$0' }, mismatch_action: { mode: 'default', default_value: '' } },
				extract_model: 'DF-M1',
			},
		]);
		expect((await fieldsNow(env.emulator)).fields[0]).toMatchObject({ identity: '', alias: [], extract_model: 'DF-M1', use_prompt: true });
	});

	test('items of two categories: one request each', async () => {
		const result = await runDocflow({
			parameters: update({ prompt: 'p' }, { categoryId: byId('={{ $json.category }}') }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { category: INVOICE, field: INVOICE_CODE } },
				{ json: { category: RECEIPT, field: '3100000000000002001' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(updates().map((r) => (r.json as { category_id: string }).category_id)).toEqual([INVOICE, RECEIPT]);
		expect(result.items.map((i) => [i.json.category_id, i.json.name])).toEqual([
			[INVOICE, 'Invoice Code'],
			[RECEIPT, 'Merchant Name'],
		]);
	});

	test('a lost answer is sent again: the same values twice change nothing', async () => {
		env.emulator.injectFault({ path: 'category/fields/batch_update', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: update({ prompt: 'again' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { field: INVOICE_CODE } }],
		});
		expect(result.error).toBeUndefined();
		expect(updates().map((r) => r.fault ?? 'answered')).toEqual(['reset-after', 'answered']);
		expect(result.items[0].json.prompt).toBe('again');
	});

	test.each([
		['no Update Fields', {}, [{ json: { field: INVOICE_CODE } }], 0, 'Nothing to update: no Update Fields are set [item 0]'],
		['an empty name', { name: '' }, [{ json: { field: INVOICE_CODE } }], 0, 'Name is empty [item 0]'],
		['an empty field', { prompt: 'p' }, [{ json: { field: INVOICE_CODE } }, { json: {} }], 1, 'Field is empty [item 1]'],
		['one field twice', { prompt: 'p' }, [{ json: { field: INVOICE_CODE } }, { json: { field: INVOICE_CODE } }], 1, `Item 0 already updates field ${INVOICE_CODE} [item 1]`],
	])('refuses %s before any request', async (_what, fields, items, itemIndex, message) => {
		await expectItemError(env.emulator, { parameters: update(fields), credentials: credentialFor(env.emulator), items }, itemIndex, message);
	});

	test('a missing field, a model on a table’s column, a name another field has: each item alone fails, the others are updated', async () => {
		const { regular, errorOutput } = await expectItemError(
			env.emulator,
			{
				parameters: update({ name: '={{ $json.name }}', extractModel: '={{ $json.model }}' }),
				credentials: credentialFor(env.emulator),
				items: [
					{ json: { field: '42', name: 'X', model: 'Auto' } },
					{ json: { field: QUANTITY, name: 'Qty', model: 'Acgpt' } },
					{ json: { field: INVOICE_CODE, name: 'Invoice Date', model: 'Auto' } },
					{ json: { field: REMARKS, name: 'Notes', model: 'Auto' } },
				],
			},
			0,
			`Field 42 does not exist in category ${INVOICE} [item 0]`,
			{ beforeAnyRequest: false },
		);
		expect(regular.items.map((i) => i.json.error ?? i.json.name)).toEqual([
			`Field 42 does not exist in category ${INVOICE} [item 0]`,
			`Field ${QUANTITY} is a column of table “Goods Details”, which cannot have its own Extraction Model [item 1]`,
			`Another field of category ${INVOICE} is named “Invoice Date” (field ID 3100000000000001003) [item 2]`,
			'Notes',
		]);
		expect(errorOutput.errorItems.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(errorOutput.items.map((i) => [i.pairedItem, i.json.name])).toEqual([[{ item: 3 }, 'Notes']]);
		expect(updates().map((r) => (r.json as { fields: Array<{ field_id: string }> }).fields.map((f) => f.field_id))).toEqual([[REMARKS]]);
	});

	test('two items giving two fields one name in one request: the later one fails, naming the field that took it', async () => {
		const result = await runDocflow({
			parameters: update({ name: '={{ $json.name }}' }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { field: INVOICE_CODE, name: 'Code' } },
				{ json: { field: INVOICE_NUMBER, name: 'Code' } },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.items.map((i) => i.json.error ?? i.json.name)).toEqual([
			'Code',
			`Another field of category ${INVOICE} is named “Code” (field ID ${INVOICE_CODE}) [item 1]`,
		]);
	});
});
