import { loadOptionsContext } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, OLD_FORM, byId, fromList, hits } from './helpers.ts';

const env = useEmulator();

async function picker(parameters: Record<string, unknown>, path: string) {
	return await loadOptionsContext(
		{ workspace: workspace(), ...parameters } as never,
		credentialFor(env.emulator),
		path,
	);
}

describe('Category locator (searchCategories)', () => {
	test('lists every category, enabled or not, by ID; searches by name or ID; pages with a token', async () => {
		const { context, nodeType } = await picker({ resource: 'categoryField', operation: 'getAll' }, 'parameters.categoryId');
		const all = await nodeType.methods.listSearch.searchCategories.call(context);
		expect(all.results.map((r) => [r.name, r.value])).toEqual([
			['发票', INVOICE],
			['receipt', '1900000000000000002'],
			['contract', '1900000000000000003'],
			['old form', OLD_FORM],
		]);
		expect(all.paginationToken).toBeUndefined();
		expect(hits(env.emulator, 'category/list')[0].query).toEqual({ workspace_id: WORKSPACE_ID, page: '1', page_size: '100', enabled: 'all' });
		expect((await nodeType.methods.listSearch.searchCategories.call(context, 'FORM')).results.map((r) => r.value)).toEqual([OLD_FORM]);

		env.emulator.workspaces[0].categories.push(
			...Array.from({ length: 120 }, (_, i) => ({ id: String(2_000_000_000_000_000_000n + BigInt(i)), name: `Form ${i}`, enabled: '1' as const })),
		);
		const first = await nodeType.methods.listSearch.searchCategories.call(context);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const second = await nodeType.methods.listSearch.searchCategories.call(context, undefined, first.paginationToken);
		expect(second.results).toHaveLength(24);
		expect(second.paginationToken).toBeUndefined();
	});
});

describe('Field locator (searchCategoryFields) and table locator (searchCategoryTables)', () => {
	test('the chosen category’s regular fields, then its tables’ columns as “Table › Column”, by ID; searchable', async () => {
		const { context, nodeType } = await picker(
			{ resource: 'categoryField', operation: 'update', categoryId: fromList(INVOICE) },
			'parameters.fieldId',
		);
		const result = await nodeType.methods.listSearch.searchCategoryFields.call(context);
		expect(result.results.map((r) => [r.name, r.value])).toEqual([
			['Invoice Code', '3100000000000001001'],
			['Invoice Number', '3100000000000001002'],
			['Invoice Date', '3100000000000001003'],
			['Seller Name', '3100000000000001004'],
			['Buyer Name', '3100000000000001005'],
			['Total Amount', '3100000000000001006'],
			['Remarks', '3100000000000001007'],
			['Goods Details › Goods and Services Name', '3200000000000001001'],
			['Goods Details › Specification Model', '3200000000000001002'],
			['Goods Details › Quantity', '3200000000000001003'],
			['Goods Details › Amount', '3200000000000001004'],
			['Tax Summary › Tax Rate', '3300000000000001001'],
			['Tax Summary › Tax Amount', '3300000000000001002'],
		]);
		expect(hits(env.emulator, 'category/fields/list')[0].query).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE });
		const amounts = await nodeType.methods.listSearch.searchCategoryFields.call(context, 'amount');
		expect(amounts.results.map((r) => r.name)).toEqual(['Total Amount', 'Goods Details › Amount', 'Tax Summary › Tax Amount']);
		const ofTable = await nodeType.methods.listSearch.searchCategoryFields.call(context, 'tax summary');
		expect(ofTable.results.map((r) => r.name)).toEqual(['Tax Summary › Tax Rate', 'Tax Summary › Tax Amount']);
	});

	test('tables of the chosen category (By ID too), searchable', async () => {
		const { context, nodeType } = await picker(
			{ resource: 'categoryTable', operation: 'update', categoryId: byId(INVOICE) },
			'parameters.tableId',
		);
		const result = await nodeType.methods.listSearch.searchCategoryTables.call(context);
		expect(result.results.map((r) => [r.name, r.value])).toEqual([
			['Goods Details', '3900000000000001001'],
			['Tax Summary', '3900000000000001002'],
		]);
		expect(hits(env.emulator, 'category/tables/list')[0].query).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE });
		expect((await nodeType.methods.listSearch.searchCategoryTables.call(context, 'tax')).results.map((r) => r.name)).toEqual(['Tax Summary']);
	});

	test('without a category the picker asks for one, sending nothing', async () => {
		const { context, nodeType } = await picker({ resource: 'categoryField', operation: 'update', categoryId: fromList('') }, 'parameters.fieldId');
		await expect(nodeType.methods.listSearch.searchCategoryFields.call(context)).rejects.toThrow(
			'Choose a category first to list its fields and tables',
		);
		await expect(nodeType.methods.listSearch.searchCategoryTables.call(context)).rejects.toThrow(
			'Choose a category first to list its fields and tables',
		);
		expect(env.emulator.requests).toHaveLength(0);
	});
});

describe('Field and table names (getCategoryFieldNames, getCategoryTableNames), for the File results', () => {
	test('by the Category locator: the regular fields and the tables by name', async () => {
		const { context, nodeType } = await picker({ categoryId: fromList(INVOICE) }, 'parameters.fields');
		const fields = await nodeType.methods.loadOptions.getCategoryFieldNames.call(context);
		expect(fields.map((o) => o.value)).toEqual(['Invoice Code', 'Invoice Number', 'Invoice Date', 'Seller Name', 'Buyer Name', 'Total Amount', 'Remarks']);
		const tables = await nodeType.methods.loadOptions.getCategoryTableNames.call(context);
		expect(tables).toEqual([
			{ name: 'Goods Details', value: 'Goods Details', description: 'Goods and Services Name, Specification Model, Quantity, Amount' },
			{ name: 'Tax Summary', value: 'Tax Summary', description: 'Tax Rate, Tax Amount' },
		]);
	});

	test('by a category name (as Upload and the results name categories): looked up among the workspace’s categories', async () => {
		const { context, nodeType } = await picker({ options: { category: 'receipt' } }, 'parameters.fields');
		const fields = await nodeType.methods.loadOptions.getCategoryFieldNames.call(context);
		expect(fields.map((o) => o.value)).toEqual(['Merchant Name', 'Receipt Number', 'Receipt Date', 'Payment Method', 'Total Amount', 'Remarks']);
		expect(env.emulator.requests.map((r) => r.path.split('/v2/')[1])).toEqual(['category/list', 'category/fields/list']);

		const unknown = await picker({ category: 'menu' }, 'parameters.fields');
		await expect(unknown.nodeType.methods.loadOptions.getCategoryFieldNames.call(unknown.context)).rejects.toThrow(
			`Workspace ${WORKSPACE_ID} has no category named “menu”`,
		);
	});
});
