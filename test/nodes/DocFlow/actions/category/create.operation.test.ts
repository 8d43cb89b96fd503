import { runDocflow } from '../../../../harness/engine.ts';
import type { InputItem } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, sample, sha256, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { categoriesNow, expectItemError, fieldsNow, hits } from './helpers.ts';

const env = useEmulator();

const create = (extra: Record<string, unknown> = {}) => ({
	resource: 'category',
	operation: 'create',
	workspace: workspace(),
	name: 'Purchase Order',
	extractModel: 'Acgpt',
	fields: {
		field: [
			{ name: 'PO Number', description: 'The order number', aliases: 'Order No., PO #', exportName: 'po_number', usePrompt: false },
			{ name: 'Supplier', prompt: 'The selling company', usePrompt: true, multiValue: true, removeDuplicates: true },
		],
	},
	...extra,
});

const pdf = sample('simple.pdf');
const withSamples = (...names: string[]): InputItem => ({
	binary: Object.fromEntries(
		names.map((field, i) => [field, { data: Buffer.concat([pdf, Buffer.from(`%${i}`)]), fileName: `${field}.pdf`, mimeType: 'application/pdf' }]),
	),
});

/** The text parts of a recorded multipart request are not kept by the emulator: read them back from DocFlow's state. */
const creates = () => hits(env.emulator, 'category/create');

describe('Category → Create', () => {
	test('sends the spec’s multipart form: text fields, fields and tables as JSON, the sample files; outputs the category with its fields', async () => {
		const result = await runDocflow({
			parameters: create({
				tables: {
					table: [
						{ name: 'Lines', columns: 'Item, Quantity, Amount', mergeTables: true, extractModel: 'DF-M1', prompt: 'One row per item' },
						{ name: 'Taxes', columns: '', mergeTables: false, extractModel: '', prompt: '' },
					],
				},
				binaryPropertyName: 'data, second',
				options: { categoryPrompt: 'Purchase orders from suppliers', description: 'POs' },
			}),
			credentials: credentialFor(env.emulator),
			items: [withSamples('data', 'second')],
		});
		expect(result.error).toBeUndefined();
		// The name is checked against the workspace's categories first (all states).
		expect(env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]}`)).toEqual(['GET category/list', 'POST category/create']);
		expect(hits(env.emulator, 'category/list')[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, enabled: 'all' });
		const [request] = creates();
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.parts?.map((p) => [p.name, p.filename])).toEqual([
			['workspace_id', undefined],
			['name', undefined],
			['extract_model', undefined],
			['category_prompt', undefined],
			['description', undefined],
			['fields', undefined],
			['tables', undefined],
			['with_detail', undefined],
			['sample_files', 'data.pdf'],
			['sample_files', 'second.pdf'],
		]);
		expect(request.parts?.filter((p) => p.name === 'sample_files').map((p) => [p.sha256, p.contentType])).toEqual([
			[sha256(Buffer.concat([pdf, Buffer.from('%0')])), 'application/pdf'],
			[sha256(Buffer.concat([pdf, Buffer.from('%1')])), 'application/pdf'],
		]);

		const json = result.items[0].json;
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(json).toMatchObject({
			workspace_id: WORKSPACE_ID,
			category_id: expect.stringMatching(/^\d{19}$/),
			name: 'Purchase Order',
			description: 'POs',
			category_prompt: 'Purchase orders from suppliers',
			extract_model: 'Acgpt',
			enabled: 1,
			samples: [{ file_name: 'data.pdf' }, { file_name: 'second.pdf' }],
		});
		// What the form carried, as DocFlow stored it: only switches that are on were sent.
		const stored = await fieldsNow(env.emulator, json.category_id as string);
		expect(stored.fields).toMatchObject([
			{ name: 'PO Number', description: 'The order number', alias: ['Order No.', 'PO #'], identity: 'po_number', use_prompt: false, multi_value: false },
			{ name: 'Supplier', prompt: 'The selling company', use_prompt: true, multi_value: true, duplicate_value_distinct: true },
		]);
		expect(stored.tables).toMatchObject([
			{ name: 'Lines', prompt: 'One row per item', collect_from_multi_table: true, extract_model: 'DF-M1', fields: [{ name: 'Item' }, { name: 'Quantity' }, { name: 'Amount' }] },
			{ name: 'Taxes', prompt: '', collect_from_multi_table: false, extract_model: 'Acgpt', fields: [] },
		]);
		expect(json.fields).toEqual(stored.fields);
		expect((await categoriesNow(env.emulator)).map((c) => c.name)).toContain('Purchase Order');
	});

	test('Define Fields “Using JSON”: every key of the spec reaches DocFlow, transform settings included', async () => {
		const fields = [
			{
				name: 'Invoice Date',
				transform_settings: { type: 'datetime', datetime_settings: { format: 'yyyy-MM-dd' }, mismatch_action: { mode: 'default', default_value: 'N/A' } },
			},
			{ name: 'Kind', transform_settings: { type: 'enumerate', enumerate_settings: { items: ['A', 'B'] } } },
		];
		const tables = [{ name: 'Lines', collect_from_multi_table: true, extract_model: 'Acgpt', fields: [{ name: 'Amount', alias: ['Sum'] }] }];
		const result = await runDocflow({
			parameters: create({ fieldsInput: 'json', fieldsJson: JSON.stringify(fields), tablesJson: JSON.stringify(tables) }),
			credentials: credentialFor(env.emulator),
			items: [withSamples('data')],
		});
		expect(result.error).toBeUndefined();
		const stored = await fieldsNow(env.emulator, result.items[0].json.category_id as string);
		expect(stored.fields).toMatchObject(fields);
		expect(stored.tables).toMatchObject([{ name: 'Lines', collect_from_multi_table: true, extract_model: 'Acgpt', fields: [{ name: 'Amount', alias: ['Sum'] }] }]);
	});

	test('the new category is accepted by Upload straight away', async () => {
		await runDocflow({ parameters: create(), credentials: credentialFor(env.emulator), items: [withSamples('data')] });
		const upload = await runDocflow({
			parameters: { resource: 'file', operation: 'upload', workspace: workspace(), waitForCompletion: false, options: { category: 'Purchase Order' } },
			credentials: credentialFor(env.emulator),
			items: [withSamples('data')],
		});
		expect(upload.error).toBeUndefined();
		expect(hits(env.emulator, 'file/upload')[0].query.category).toBe('Purchase Order');
	});

	test('a name the workspace already has is refused before creating, naming the category that has it', async () => {
		const { regular } = await expectItemError(
			env.emulator,
			{
				parameters: create({ name: '={{ $json.name }}' }),
				credentials: credentialFor(env.emulator),
				items: [{ ...withSamples('data'), json: { name: 'Delivery Note' } }, { ...withSamples('data'), json: { name: 'old form' } }],
			},
			1,
			`A category named “old form” already exists in workspace ${WORKSPACE_ID} (ID 1900000000000000004) [item 1]`,
			{ beforeAnyRequest: false },
		);
		expect(regular.items.map((i) => [i.pairedItem, i.json.name, i.json.error === undefined])).toEqual([
			[{ item: 0 }, 'Delivery Note', true],
			[{ item: 1 }, 'old form', false],
		]);
		expect(regular.items[1].json).toMatchObject({ workspace_id: WORKSPACE_ID, description: 'Choose another name, or change the existing category with Category → Update.' });
		expect(creates()).toHaveLength(1);
	});

	test.each([
		['an empty name', { name: '  ' }, [withSamples('data')], 'Name is empty [item 0]'],
		['a name of 51 characters', { name: 'x'.repeat(51) }, [withSamples('data')], `Name “${'x'.repeat(51)}” is 51 characters long; DocFlow allows at most 50 [item 0]`],
		['a category prompt of 151 characters', { options: { categoryPrompt: 'p'.repeat(151) } }, [withSamples('data')], 'Category Prompt is 151 characters long; DocFlow allows at most 150 [item 0]'],
		['no fields', { fields: {} }, [withSamples('data')], 'Fields is empty: DocFlow needs at least one field to create a category [item 0]'],
		['a field without a name', { fields: { field: [{ name: '' }] } }, [withSamples('data')], 'The Name of field 1 is empty [item 0]'],
		['a field name twice', { fields: { field: [{ name: 'A' }, { name: 'A' }] } }, [withSamples('data')], 'The Fields list names “A” twice [item 0]'],
		['JSON that does not parse', { fieldsInput: 'json', fieldsJson: '[{"name": }]' }, [withSamples('data')], 'Fields (JSON) is not valid JSON [item 0]'],
		['a JSON field with an unknown key', { fieldsInput: 'json', fieldsJson: '[{"name":"A","colour":"red"}]' }, [withSamples('data')], 'field 1 of Fields (JSON) has the key “colour”, which DocFlow does not know [item 0]'],
		['a JSON alias that is not a list', { fieldsInput: 'json', fieldsJson: '[{"name":"A","alias":"B"}]' }, [withSamples('data')], 'alias of field 1 of Fields (JSON) must be a list of texts, but it is a string [item 0]'],
		[
			'101 fields in one request',
			{ fieldsInput: 'json', fieldsJson: JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ name: `F${i}` }))) },
			[withSamples('data')],
			'Fields (JSON) has 101 fields; the node sends at most 100 in one request [item 0]',
		],
		[
			'a table merging with Acgpt-VL',
			{ tables: { table: [{ name: 'T', mergeTables: true, extractModel: 'Acgpt-VL' }] } },
			[withSamples('data')],
			'Merge Tables Across the Document cannot be used with the extraction model Acgpt-VL (table “T”) [item 0]',
		],
		[
			'11 sample files in one request',
			{ binaryPropertyName: Array.from({ length: 11 }, (_, i) => `s${i}`).join(',') },
			[withSamples(...Array.from({ length: 11 }, (_, i) => `s${i}`))],
			'Sample File Field(s) names 11 files; DocFlow takes at most 10 in one request [item 0]',
		],
		['no sample file', {}, [{ json: {} }], 'Item 0 has no binary field “data” [item 0]'],
	])('refuses %s before any request', async (_what, extra, items, message) => {
		await expectItemError(env.emulator, { parameters: create(extra), credentials: credentialFor(env.emulator), items }, 0, message);
	});

	test('a bad item among good ones: nothing is sent for any item, or (Continue On Fail) only the bad one fails', async () => {
		const { regular, errorOutput } = await expectItemError(
			env.emulator,
			{
				parameters: create({ name: '={{ $json.name }}' }),
				credentials: credentialFor(env.emulator),
				items: [
					{ ...withSamples('data'), json: { name: 'A' } },
					{ ...withSamples('data'), json: { name: '' } },
					{ ...withSamples('data'), json: { name: 'C' } },
				],
			},
			1,
			'Name is empty [item 1]',
		);
		expect(regular.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(errorOutput.items.map((i) => [i.pairedItem, i.json.name])).toEqual([
			[{ item: 0 }, 'A'],
			[{ item: 2 }, 'C'],
		]);
		expect(errorOutput.errorItems.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
	});

	test('DocFlow’s own refusal comes with its code and message', async () => {
		env.emulator.injectFault({ path: 'category/create', kind: 'business', code: 40003, msg: '余额不足' });
		const result = await runDocflow({ parameters: create(), credentials: credentialFor(env.emulator), items: [withSamples('data')] });
		expect(result.error?.message).toMatch(/^DocFlow refused the request: the account balance is used up \(DocFlow code 40003, “余额不足”/);
	});
});

describe('Category → Create is never sent twice', () => {
	test('an answer lost after DocFlow created the category: found by name, not sent again', async () => {
		env.emulator.injectFault({ path: 'category/create', kind: 'reset-after' });
		const result = await runDocflow({ parameters: create(), credentials: credentialFor(env.emulator), items: [withSamples('data')] });
		expect(result.error).toBeUndefined();
		expect(creates()).toHaveLength(1);
		// Checked before sending, and looked up once after the lost answer.
		expect(hits(env.emulator, 'category/list')).toHaveLength(2);
		const created = (await categoriesNow(env.emulator)).filter((c) => c.name === 'Purchase Order');
		expect(created).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ workspace_id: WORKSPACE_ID, category_id: created[0].id, name: 'Purchase Order', enabled: 1 });
	});

	test('a connection that broke before DocFlow took it: not found, so sent again, once', async () => {
		env.emulator.injectFault({ path: 'category/create', kind: 'reset-before' });
		const result = await runDocflow({ parameters: create(), credentials: credentialFor(env.emulator), items: [withSamples('data')] });
		expect(result.error).toBeUndefined();
		expect(creates().map((r) => r.fault ?? 'answered')).toEqual(['reset-before', 'answered']);
		// The resend carries the same files.
		expect(creates()[1].parts?.filter((p) => p.filename).map((p) => p.sha256)).toEqual(creates()[0].parts?.filter((p) => p.filename).map((p) => p.sha256));
		expect((await categoriesNow(env.emulator)).filter((c) => c.name === 'Purchase Order')).toHaveLength(1);
	});

	test('when the look-up after a lost answer fails too: “may have been created”, nothing resent', async () => {
		// The check before sending goes through (a fault that does nothing, to keep the order),
		// the create's answer is lost, and every look-up after that fails.
		env.emulator.injectFault({ path: 'category/list', kind: 'delay', ms: 0 });
		env.emulator.injectFault({ path: 'category/create', kind: 'reset-after' });
		env.emulator.injectFault({ path: 'category/list', kind: 'status', status: 500, times: 5 });
		const result = await runDocflow({
			parameters: create({ options: { maxRetries: 0 } }),
			credentials: credentialFor(env.emulator),
			items: [withSamples('data')],
		});
		expect(result.error?.message).toBe(
			'The category “Purchase Order” may have been created: DocFlow’s answer got lost, and looking it up afterwards failed too [item 0]',
		);
		expect(result.error?.description).toBe(
			`The node did not send the request again, so nothing is applied twice. Check the categories of workspace ${WORKSPACE_ID} (Category → Get Many) before running this item again.`,
		);
		expect(creates()).toHaveLength(1);
	});
});
