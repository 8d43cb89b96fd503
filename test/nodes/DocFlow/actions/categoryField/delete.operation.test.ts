import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, byId, expectItemError, fieldsNow, fromList, hits } from '../category/helpers.ts';

const env = useEmulator();

const REMARKS = '3100000000000001007';
const TOTAL = '3100000000000001006';
const GOODS = '3900000000000001001';
const QUANTITY = '3200000000000001003';
const TAX_RATE = '3300000000000001001';

const remove = (extra: Record<string, unknown> = {}) => ({
	resource: 'categoryField',
	operation: 'delete',
	workspace: workspace(),
	categoryId: fromList(INVOICE),
	fieldId: byId('={{ $json.field }}'),
	...extra,
});

const deletes = () => hits(env.emulator, 'category/fields/delete');
const items = (...ids: string[]) => ids.map((field) => ({ json: { field } }));

describe('Category Field → Delete', () => {
	test('regular fields in one request, each table’s columns in one with its table_id (the spec); each item outputs what it deleted', async () => {
		const result = await runDocflow({
			parameters: remove(),
			credentials: credentialFor(env.emulator),
			items: items(REMARKS, QUANTITY, TOTAL, TAX_RATE),
		});
		expect(result.error).toBeUndefined();
		expect(deletes().map((r) => r.json)).toEqual([
			{ workspace_id: WORKSPACE_ID, category_id: INVOICE, field_ids: [REMARKS, TOTAL] },
			{ workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: GOODS, field_ids: [QUANTITY] },
			{ workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: '3900000000000001002', field_ids: [TAX_RATE] },
		]);
		expect(result.items.map((i) => [i.pairedItem, i.json])).toEqual([
			[{ item: 0 }, { workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: null, table_name: null, field_id: REMARKS, name: 'Remarks', deleted: true }],
			[{ item: 1 }, { workspace_id: WORKSPACE_ID, category_id: INVOICE, table_id: GOODS, table_name: 'Goods Details', field_id: QUANTITY, name: 'Quantity', deleted: true }],
			[{ item: 2 }, expect.objectContaining({ field_id: TOTAL, name: 'Total Amount', deleted: true })],
			[{ item: 3 }, expect.objectContaining({ field_id: TAX_RATE, table_name: 'Tax Summary', deleted: true })],
		]);
		const stored = await fieldsNow(env.emulator);
		expect(stored.fields.map((f) => f.id)).not.toContain(REMARKS);
		expect(stored.tables[0].fields.map((f) => f.id)).not.toContain(QUANTITY);
	});

	test('deleting what does not exist fails that item alone (both outputs)', async () => {
		const { regular, errorOutput } = await expectItemError(
			env.emulator,
			{ parameters: remove(), credentials: credentialFor(env.emulator), items: items(REMARKS, '42') },
			1,
			`Field 42 does not exist in category ${INVOICE} [item 1]`,
			{ beforeAnyRequest: false },
		);
		expect(regular.items[0].json).toMatchObject({ field_id: REMARKS, deleted: true });
		expect(regular.items[1].json).toMatchObject({ workspace_id: WORKSPACE_ID, category_id: INVOICE, field_id: '42' });
		expect(errorOutput.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(deletes()).toHaveLength(1);
	});

	test('without Continue On Fail nothing after the first failed item is deleted, in any of the category’s places', async () => {
		const result = await runDocflow({ parameters: remove(), credentials: credentialFor(env.emulator), items: items(REMARKS, '42', TOTAL, QUANTITY) });
		expect(result.error?.message).toBe(`Field 42 does not exist in category ${INVOICE} [item 1]`);
		expect(deletes().map((r) => r.json)).toEqual([{ workspace_id: WORKSPACE_ID, category_id: INVOICE, field_ids: [REMARKS] }]);
		const stored = await fieldsNow(env.emulator);
		expect(stored.fields.map((f) => f.id)).toContain(TOTAL);
		expect(stored.tables[0].fields.map((f) => f.id)).toContain(QUANTITY);
	});

	test.each([
		['an empty field', items(REMARKS, ''), 1, 'Field is empty [item 1]'],
		['the same field twice', items(REMARKS, REMARKS), 1, `Field ${REMARKS} is deleted by item 0 already [item 1]`],
	])('refuses %s before any request', async (_what, input, itemIndex, message) => {
		await expectItemError(env.emulator, { parameters: remove(), credentials: credentialFor(env.emulator), items: input }, itemIndex, message);
	});

	test('a lost answer: the fields are gone, so it is done and not sent again', async () => {
		env.emulator.injectFault({ path: 'category/fields/delete', kind: 'reset-after' });
		const result = await runDocflow({ parameters: remove(), credentials: credentialFor(env.emulator), items: items(REMARKS) });
		expect(result.error).toBeUndefined();
		expect(deletes()).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ field_id: REMARKS, deleted: true });
	});

	test('a request DocFlow never got: still there, so sent again', async () => {
		env.emulator.injectFault({ path: 'category/fields/delete', kind: 'reset-before' });
		const result = await runDocflow({ parameters: remove(), credentials: credentialFor(env.emulator), items: items(REMARKS) });
		expect(result.error).toBeUndefined();
		expect(deletes().map((r) => r.fault ?? 'answered')).toEqual(['reset-before', 'answered']);
	});

	test('one place’s request failing fails only its items: the regular fields are deleted, the table’s column is not', async () => {
		// The first delete (the regular fields) goes through; the table's is refused.
		env.emulator.injectFault({ path: 'category/fields/delete', kind: 'delay', ms: 0 });
		env.emulator.injectFault({ path: 'category/fields/delete', kind: 'business', code: 40004, msg: '表格字段至少保留一个' });
		const result = await runDocflow({
			parameters: remove(),
			credentials: credentialFor(env.emulator),
			items: items(REMARKS, QUANTITY),
			onError: 'continueErrorOutput',
		});
		expect(result.items.map((i) => [i.pairedItem, i.json.field_id])).toEqual([[{ item: 0 }, REMARKS]]);
		expect(result.errorItems.map((i) => [i.pairedItem, (i.json.error as { docflow_message: string }).docflow_message])).toEqual([
			[{ item: 1 }, '表格字段至少保留一个'],
		]);
	});
});
