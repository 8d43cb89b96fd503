import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, RECEIPT, byId, expectItemError, fromList, hits } from '../category/helpers.ts';

const env = useEmulator();

const GOODS = '3900000000000001001';

const getMany = (extra: Record<string, unknown> = {}) => ({
	resource: 'categoryField',
	operation: 'getAll',
	workspace: workspace(),
	categoryId: fromList(INVOICE),
	...extra,
});

describe('Category Field → Get Many', () => {
	test('all fields: the regular ones, then each table’s columns with their table', async () => {
		const result = await runDocflow({ parameters: getMany(), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		const [request] = hits(env.emulator, 'category/fields/list');
		expect(request.method).toBe('GET');
		expect(request.query).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE });
		expect(result.items.map((i) => [i.json.table_name, i.json.name])).toEqual([
			[null, 'Invoice Code'],
			[null, 'Invoice Number'],
			[null, 'Invoice Date'],
			[null, 'Seller Name'],
			[null, 'Buyer Name'],
			[null, 'Total Amount'],
			[null, 'Remarks'],
			['Goods Details', 'Goods and Services Name'],
			['Goods Details', 'Specification Model'],
			['Goods Details', 'Quantity'],
			['Goods Details', 'Amount'],
			['Tax Summary', 'Tax Rate'],
			['Tax Summary', 'Tax Amount'],
		]);
		expect(result.items.every((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(result.items[1].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			table_id: null,
			table_name: null,
			id: '3100000000000001002',
			name: 'Invoice Number',
			description: '',
			prompt: '',
			use_prompt: false,
			alias: [],
			identity: 'invoice_number',
			multi_value: false,
			duplicate_value_distinct: false,
			extract_model: 'Acgpt',
			enabled: 1,
		});
		expect(result.items[7].json).toMatchObject({ table_id: GOODS, table_name: 'Goods Details', id: '3200000000000001001' });
	});

	test('regular fields only; one table’s columns; Limit', async () => {
		let result = await runDocflow({ parameters: getMany({ fieldScope: 'regular' }), credentials: credentialFor(env.emulator) });
		expect(result.items.map((i) => i.json.name)).toHaveLength(7);
		expect(result.items.every((i) => i.json.table_id === null)).toBe(true);

		result = await runDocflow({
			parameters: getMany({ fieldScope: 'table', tableId: fromList(GOODS) }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.items.map((i) => i.json.name)).toEqual(['Goods and Services Name', 'Specification Model', 'Quantity', 'Amount']);

		result = await runDocflow({ parameters: getMany({ returnAll: false, limit: 3 }), credentials: credentialFor(env.emulator) });
		expect(result.items.map((i) => i.json.name)).toEqual(['Invoice Code', 'Invoice Number', 'Invoice Date']);
		// fields/list has no pages: one request either way.
		expect(hits(env.emulator, 'category/fields/list')).toHaveLength(3);
	});

	test('one item per category: each lists its own', async () => {
		const result = await runDocflow({
			parameters: getMany({ categoryId: byId('={{ $json.id }}'), fieldScope: 'regular' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { id: INVOICE } }, { json: { id: RECEIPT } }],
		});
		expect(result.items.filter((i) => (i.pairedItem as { item: number }).item === 1).map((i) => i.json.name)).toEqual([
			'Merchant Name',
			'Receipt Number',
			'Receipt Date',
			'Payment Method',
			'Total Amount',
			'Remarks',
		]);
	});

	test('an unknown category and an unknown table are said plainly', async () => {
		await expectItemError(
			env.emulator,
			{ parameters: getMany({ categoryId: byId('42') }), credentials: credentialFor(env.emulator) },
			0,
			`Category 42 does not exist in workspace ${WORKSPACE_ID} [item 0]`,
			{ beforeAnyRequest: false },
		);
		// DocFlow refused fields/list; the node looked at category/list to say why.
		expect(env.emulator.requests.map((r) => [r.path.split('/v2/')[1], r.code])).toEqual([
			['category/fields/list', 40004],
			['category/list', 200],
		]);
		await expectItemError(
			env.emulator,
			{ parameters: getMany({ fieldScope: 'table', tableId: byId('77') }), credentials: credentialFor(env.emulator) },
			0,
			`Table 77 does not exist in category ${INVOICE} [item 0]`,
			{ beforeAnyRequest: false },
		);
	});

	test('an empty Category is refused before any request', async () => {
		await expectItemError(
			env.emulator,
			{
				parameters: getMany({ categoryId: byId('={{ $json.id }}') }),
				credentials: credentialFor(env.emulator),
				items: [{ json: { id: INVOICE } }, { json: {} }],
			},
			1,
			'Category is empty [item 1]',
		);
	});
});
