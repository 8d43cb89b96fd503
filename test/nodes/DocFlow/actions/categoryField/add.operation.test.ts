import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, RECEIPT, byId, expectItemError, fieldsNow, fromList, hits, writes } from '../category/helpers.ts';

const env = useEmulator();

const GOODS = '3900000000000001001';

/** Field Add mapped from a sheet: one row per field. */
const add = (extra: Record<string, unknown> = {}) => ({
	resource: 'categoryField',
	operation: 'add',
	workspace: workspace(),
	categoryId: fromList(INVOICE),
	fieldName: '={{ $json.name }}',
	...extra,
});

const rows = (...names: string[]) => names.map((name) => ({ json: { name } }));
const adds = () => hits(env.emulator, 'category/fields/batch_add');

describe('Category Field → Add', () => {
	test('the items of one category go in one batch_add, in item order; each item outputs its new field', async () => {
		const result = await runDocflow({
			parameters: add(),
			credentials: credentialFor(env.emulator),
			items: rows('Due Date', 'IBAN', 'Order Number'),
		});
		expect(result.error).toBeUndefined();
		// fields/list first (names the category has already; what a lost answer is checked against), then one add.
		expect(env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]}`)).toEqual([
			'GET category/fields/list',
			'POST category/fields/batch_add',
		]);
		expect(adds()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			fields: [{ name: 'Due Date' }, { name: 'IBAN' }, { name: 'Order Number' }],
			with_detail: true,
		});
		const stored = (await fieldsNow(env.emulator)).fields.slice(-3);
		expect(result.items.map((i) => [i.pairedItem, i.json.name, i.json.field_id])).toEqual([
			[{ item: 0 }, 'Due Date', stored[0].id],
			[{ item: 1 }, 'IBAN', stored[1].id],
			[{ item: 2 }, 'Order Number', stored[2].id],
		]);
		expect(result.items[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			table_id: null,
			table_name: null,
			field_id: stored[0].id,
			name: 'Due Date',
			description: '',
			prompt: '',
			use_prompt: false,
			alias: [],
			identity: '',
			multi_value: false,
			duplicate_value_distinct: false,
			extract_model: 'Acgpt',
			enabled: 1,
		});
	});

	test('every setting of a field on the wire: description, prompt, aliases, export name, switches', async () => {
		const result = await runDocflow({
			parameters: add({
				additionalFields: {
					description: '={{ $json.name }} of the invoice',
					prompt: 'Look near the top',
					usePrompt: true,
					aliases: '={{ $json.aliases }}',
					exportName: ' due_date ',
					multiValue: true,
					removeDuplicates: true,
				},
			}),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { name: 'Due Date', aliases: 'Payable by, Due' } },
				{ json: { name: 'Status', aliases: ['Payment status'] } },
				{ json: { name: 'Period', aliases: '' } },
			],
		});
		expect(result.error).toBeUndefined();
		const common = { prompt: 'Look near the top', use_prompt: true, identity: 'due_date', multi_value: true, duplicate_value_distinct: true };
		expect((adds()[0].json as { fields: unknown[] }).fields).toEqual([
			{ name: 'Due Date', description: 'Due Date of the invoice', alias: ['Payable by', 'Due'], ...common },
			{ name: 'Status', description: 'Status of the invoice', alias: ['Payment status'], ...common },
			// An empty alias list is left out on Add (on Update it clears them).
			{ name: 'Period', description: 'Period of the invoice', ...common },
		]);
		expect(result.items[1].json).toMatchObject({ name: 'Status', alias: ['Payment status'], use_prompt: true, identity: 'due_date' });
	});

	test.each([
		[
			'date and time',
			{ type: 'datetime', dateFormat: 'yyyy/MM/dd', mismatch: 'warning' },
			{ type: 'datetime', datetime_settings: { format: 'yyyy/MM/dd' }, mismatch_action: { mode: 'warning' } },
		],
		[
			'enumeration',
			{ type: 'enumerate', allowedValues: 'Paid, Open', mismatch: 'default', defaultValue: 'Unknown' },
			{ type: 'enumerate', enumerate_settings: { items: ['Paid', 'Open'] }, mismatch_action: { mode: 'default', default_value: 'Unknown' } },
		],
		[
			'regular expression',
			{ type: 'regex', pattern: '^(\\d{4})-(\\d{2})$', replacement: '$2/$1' },
			{ type: 'regex', regex_settings: { match: '^(\\d{4})-(\\d{2})$', replace: '$2/$1' }, mismatch_action: { mode: 'warning' } },
		],
	])('Transform “%s” goes as transform_settings', async (_kind, settings, wire) => {
		const result = await runDocflow({
			parameters: add({ additionalFields: { transform: { settings } } }),
			credentials: credentialFor(env.emulator),
			items: rows('Due Date'),
		});
		expect(result.error).toBeUndefined();
		expect((adds()[0].json as { fields: unknown[] }).fields).toEqual([{ name: 'Due Date', transform_settings: wire }]);
		expect(result.items[0].json.transform_settings).toEqual(wire);
		expect((await fieldsNow(env.emulator)).fields.at(-1)?.transform_settings).toEqual(wire);
	});

	test('a table’s columns: table_id on the wire, the table in the output', async () => {
		const result = await runDocflow({
			parameters: add({ addTo: 'table', tableId: fromList(GOODS) }),
			credentials: credentialFor(env.emulator),
			items: rows('Unit', 'Unit Price'),
		});
		expect(result.error).toBeUndefined();
		expect(adds()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			table_id: GOODS,
			fields: [{ name: 'Unit' }, { name: 'Unit Price' }],
			with_detail: true,
		});
		expect(result.items.map((i) => [i.json.table_id, i.json.table_name, i.json.name])).toEqual([
			[GOODS, 'Goods Details', 'Unit'],
			[GOODS, 'Goods Details', 'Unit Price'],
		]);
		expect((await fieldsNow(env.emulator)).tables[0].fields.map((f) => f.name).slice(-2)).toEqual(['Unit', 'Unit Price']);
	});

	test('items of two categories: with Continue On Fail one request per category; without, one per run of consecutive items (nothing after a failure may be sent)', async () => {
		const items = [
			{ json: { category: INVOICE, name: 'A' } },
			{ json: { category: INVOICE, name: 'B' } },
			{ json: { category: RECEIPT, name: 'C' } },
			{ json: { category: INVOICE, name: 'D' } },
		];
		const sent = () =>
			adds().map((r) => [(r.json as { category_id: string }).category_id, (r.json as { fields: Array<{ name: string }> }).fields.map((f) => f.name)]);
		let result = await runDocflow({
			parameters: add({ categoryId: byId('={{ $json.category }}') }),
			credentials: credentialFor(env.emulator),
			items,
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		expect(sent()).toEqual([
			[INVOICE, ['A', 'B', 'D']],
			[RECEIPT, ['C']],
		]);
		const expected = [
			[{ item: 0 }, INVOICE, 'A'],
			[{ item: 1 }, INVOICE, 'B'],
			[{ item: 2 }, RECEIPT, 'C'],
			[{ item: 3 }, INVOICE, 'D'],
		];
		expect(result.items.map((i) => [i.pairedItem, i.json.category_id, i.json.name])).toEqual(expected);

		env.emulator.reset();
		result = await runDocflow({ parameters: add({ categoryId: byId('={{ $json.category }}') }), credentials: credentialFor(env.emulator), items });
		expect(result.error).toBeUndefined();
		expect(sent()).toEqual([
			[INVOICE, ['A', 'B']],
			[RECEIPT, ['C']],
			[INVOICE, ['D']],
		]);
		expect(result.items.map((i) => [i.pairedItem, i.json.category_id, i.json.name])).toEqual(expected);
	});

	test('without Continue On Fail, a request DocFlow refuses stops the run: the items after it are not sent', async () => {
		env.emulator.injectFault({ path: 'category/fields/batch_add', kind: 'delay', ms: 0 });
		env.emulator.injectFault({ path: 'category/fields/batch_add', kind: 'business', code: 40004, msg: '字段数量超出限制' });
		const result = await runDocflow({
			parameters: add({ categoryId: byId('={{ $json.category }}') }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { category: INVOICE, name: 'A' } },
				{ json: { category: RECEIPT, name: 'B' } },
				{ json: { category: INVOICE, name: 'C' } },
			],
		});
		expect(result.error?.message).toMatch(/^DocFlow refused the request to category\/fields\/batch_add \(DocFlow code 40004, “字段数量超出限制”.*\[item 1\]$/);
		expect(adds().map((r) => (r.json as { fields: Array<{ name: string }> }).fields.map((f) => f.name))).toEqual([['A'], ['B']]);
		expect((await fieldsNow(env.emulator)).fields.map((f) => f.name)).not.toContain('C');
	});

	test('250 rows go as 100 + 100 + 50 (the node’s bound per request), each item paired with its field', async () => {
		const names = Array.from({ length: 250 }, (_, i) => `Field ${i}`);
		const result = await runDocflow({ parameters: add(), credentials: credentialFor(env.emulator), items: rows(...names) });
		expect(result.error).toBeUndefined();
		expect(adds().map((r) => (r.json as { fields: unknown[] }).fields.length)).toEqual([100, 100, 50]);
		expect(result.items.map((i) => i.json.name)).toEqual(names);
		expect(result.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(names.map((_, i) => i));
		expect(new Set(result.items.map((i) => i.json.field_id)).size).toBe(250);
		expect((await fieldsNow(env.emulator)).fields).toHaveLength(257);
	});

	test('a name the category has already fails that item alone; the others are added (both outputs)', async () => {
		const { regular, errorOutput } = await expectItemError(
			env.emulator,
			{ parameters: add(), credentials: credentialFor(env.emulator), items: rows('Due Date', 'Invoice Number', 'IBAN') },
			1,
			`A field named “Invoice Number” already exists in category ${INVOICE} (field ID 3100000000000001002) [item 1]`,
			{ beforeAnyRequest: false },
		);
		expect(regular.items.map((i) => [i.pairedItem, i.json.name, i.json.error === undefined])).toEqual([
			[{ item: 0 }, 'Due Date', true],
			[{ item: 1 }, 'Invoice Number', false],
			[{ item: 2 }, 'IBAN', true],
		]);
		expect(regular.items[1].json).toMatchObject({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			description: 'Choose another name, or change the existing field with Category Field → Update.',
		});
		expect(errorOutput.items.map((i) => i.json.name)).toEqual(['Due Date', 'IBAN']);
		expect(errorOutput.errorItems.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect((adds()[0].json as { fields: Array<{ name: string }> }).fields.map((f) => f.name)).toEqual(['Due Date', 'IBAN']);
	});

	test('without Continue On Fail the run stops at the first failed item: nothing after it is sent', async () => {
		const result = await runDocflow({ parameters: add(), credentials: credentialFor(env.emulator), items: rows('Due Date', 'Invoice Number', 'IBAN') });
		expect(result.error?.message).toBe(`A field named “Invoice Number” already exists in category ${INVOICE} (field ID 3100000000000001002) [item 1]`);
		expect(adds().map((r) => (r.json as { fields: Array<{ name: string }> }).fields.map((f) => f.name))).toEqual([['Due Date']]);
		const names = (await fieldsNow(env.emulator)).fields.map((f) => f.name);
		expect(names).toContain('Due Date');
		expect(names).not.toContain('IBAN');
	});

	test.each([
		['an empty field name', rows('A', ''), {}, 1, 'Field Name is empty [item 1]'],
		['a name twice in the input', rows('A', 'B', 'A'), {}, 2, 'Item 0 already adds a field named “A” to the same category [item 2]'],
		['a field name that is a list', [{ json: { name: ['A', 'B'] } }], {}, 0, 'Field Name must be text, but it is a list [item 0]'],
		['an empty table', rows('A'), { addTo: 'table', tableId: byId('={{ $json.table }}') }, 0, 'Table is empty [item 0]'],
		['aliases that are objects', rows('A'), { additionalFields: { aliases: '={{ [{ "a": 1 }] }}' } }, 0, 'Aliases must be text separated by commas or a list of texts, but it is a list [item 0]'],
		['an invalid regular expression', rows('A'), { additionalFields: { transform: { settings: { type: 'regex', pattern: '(' } } } }, 0, 'Pattern “(” is not a valid regular expression [item 0]'],
		['an empty date format', rows('A'), { additionalFields: { transform: { settings: { type: 'datetime', dateFormat: ' ' } } } }, 0, 'Date Format is empty [item 0]'],
		['no allowed values', rows('A'), { additionalFields: { transform: { settings: { type: 'enumerate', allowedValues: '' } } } }, 0, 'Allowed Values is empty [item 0]'],
	])('refuses %s before any request', async (_what, items, extra, itemIndex, message) => {
		await expectItemError(env.emulator, { parameters: add(extra), credentials: credentialFor(env.emulator), items }, itemIndex, message);
	});

	test('an unknown category or table fails the items of that request, with what to do', async () => {
		await expectItemError(
			env.emulator,
			{ parameters: add({ categoryId: byId('42') }), credentials: credentialFor(env.emulator), items: rows('A', 'B') },
			0,
			`Category 42 does not exist in workspace ${WORKSPACE_ID} [item 0]`,
			{ beforeAnyRequest: false },
		).then(({ regular }) =>
			expect(regular.items.map((i) => i.json.error)).toEqual([
				`Category 42 does not exist in workspace ${WORKSPACE_ID} [item 0]`,
				`Category 42 does not exist in workspace ${WORKSPACE_ID} [item 1]`,
			]),
		);
		const { errorOutput } = await expectItemError(
			env.emulator,
			{ parameters: add({ addTo: 'table', tableId: byId('77') }), credentials: credentialFor(env.emulator), items: rows('A', 'B') },
			0,
			`Table 77 does not exist in category ${INVOICE} [item 0]`,
			{ beforeAnyRequest: false },
		);
		expect((errorOutput.errorItems[0].json.error as { description: string }).description).toMatch(/Category Table → Get Many .* The request carried items 0 and 1\.$/);
		expect(writes(env.emulator)).toHaveLength(0);
	});

	test('DocFlow refusing a batch fails only the items of that request', async () => {
		env.emulator.injectFault({ path: 'category/fields/batch_add', kind: 'business', code: 40004, msg: '字段数量超出限制' });
		const result = await runDocflow({
			parameters: add({ categoryId: byId('={{ $json.category }}') }),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { category: INVOICE, name: 'A' } },
				{ json: { category: RECEIPT, name: 'B' } },
				{ json: { category: INVOICE, name: 'C' } },
			],
			onError: 'continueErrorOutput',
		});
		expect(result.items.map((i) => [i.pairedItem, i.json.name])).toEqual([[{ item: 1 }, 'B']]);
		expect(result.errorItems.map((i) => [i.pairedItem, (i.json.error as { docflow_code: number }).docflow_code])).toEqual([
			[{ item: 0 }, 40004],
			[{ item: 2 }, 40004],
		]);
		expect((result.errorItems[1].json.error as { description: string }).description).toMatch(
			/The request carried items 0 and 2\. DocFlow applies all of them or none, so none was applied\.$/,
		);
	});
});

describe('Category Field → Add is never sent twice', () => {
	test('an answer lost after DocFlow added the fields: found in fields/list, not sent again, outputs complete', async () => {
		env.emulator.injectFault({ path: 'category/fields/batch_add', kind: 'reset-after' });
		const result = await runDocflow({ parameters: add(), credentials: credentialFor(env.emulator), items: rows('Due Date', 'IBAN') });
		expect(result.error).toBeUndefined();
		expect(adds()).toHaveLength(1);
		const stored = (await fieldsNow(env.emulator)).fields.slice(-2);
		expect(stored.map((f) => f.name)).toEqual(['Due Date', 'IBAN']);
		expect(result.items.map((i) => [i.pairedItem, i.json.field_id, i.json.name])).toEqual([
			[{ item: 0 }, stored[0].id, 'Due Date'],
			[{ item: 1 }, stored[1].id, 'IBAN'],
		]);
	});

	test('a request DocFlow never got: not there, so sent again, once', async () => {
		env.emulator.injectFault({ path: 'category/fields/batch_add', kind: 'reset-before' });
		const result = await runDocflow({ parameters: add(), credentials: credentialFor(env.emulator), items: rows('Due Date') });
		expect(result.error).toBeUndefined();
		expect(adds().map((r) => r.fault ?? 'answered')).toEqual(['reset-before', 'answered']);
		expect((await fieldsNow(env.emulator)).fields.filter((f) => f.name === 'Due Date')).toHaveLength(1);
		expect(result.items[0].json.field_id).toMatch(/^\d{19}$/);
	});

	test('when the look-up after a lost answer fails too: every item of the request says “may have been added”', async () => {
		env.emulator.injectFault({ path: 'category/fields/list', kind: 'delay', ms: 0 });
		env.emulator.injectFault({ path: 'category/fields/batch_add', kind: 'reset-after' });
		env.emulator.injectFault({ path: 'category/fields/list', kind: 'status', status: 502, times: 3 });
		const result = await runDocflow({
			parameters: add({ options: { maxRetries: 0 } }),
			credentials: credentialFor(env.emulator),
			items: rows('Due Date', 'IBAN'),
			onError: 'continueRegularOutput',
		});
		expect(result.items.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 0 }, `The fields “Due Date”, “IBAN” may have been added to category ${INVOICE}: DocFlow’s answer got lost, and looking it up afterwards failed too [item 0]`],
			[{ item: 1 }, `The fields “Due Date”, “IBAN” may have been added to category ${INVOICE}: DocFlow’s answer got lost, and looking it up afterwards failed too [item 1]`],
		]);
		expect(result.items[0].json.description).toBe(
			'The node did not send the request again, so nothing is applied twice. Check the category’s fields (Category Field → Get Many) before running these items again. The request carried items 0 and 1.',
		);
		expect(adds()).toHaveLength(1);
	});
});
