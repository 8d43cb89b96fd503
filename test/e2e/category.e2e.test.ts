/**
 * The Category, Category Field and Category Table resources inside real n8n (each version under
 * test), against this file's own DocFlow emulator, run with `n8n execute-batch`:
 * - a category's life in one workflow: Create (a sample file read from disk) → its fields
 *   (Category Field → Get Many) → a table added (Category Table → Add) → disabled (Category →
 *   Update) → listed (Category → Get Many, disabled only) → deleted (Category → Delete);
 * - the example “sync category fields from a Google Sheet” (the sheet stubbed by the same rows):
 *   existing fields updated, new ones added in one request, a bad row on the error output.
 * Every scenario is checked twice: what n8n output, and what DocFlow (the emulator) received.
 *
 *   node node_modules/.bin/jest -c jest.e2e.config.js test/e2e/category.e2e.test.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { sha256 } from '../harness/fixtures.ts';
import { N8nFolder, SAMPLES, output, packPackage, pairedIndex, versionsUnderTest } from './n8n.ts';
import type { BatchResult, Run, RunItem, Workflow, WorkflowNode } from './n8n.ts';
import {
	WORKSPACE_ID,
	connect,
	docflow,
	emulatorCredentials,
	exampleForRun,
	expectExamplesValid,
	loadExample,
	manualTrigger,
	n8nCredentials,
	nodeNamed,
	readFiles,
	requestsOf,
	rows,
	runOf,
	wire,
	workflow,
} from './workflows.ts';
import type { Scenario } from './workflows.ts';

const EXAMPLE_FILE = 'sync-category-fields-from-sheet.json';
const INVOICE = '1900000000000000001';
const INVOICE_NUMBER_FIELD = '3100000000000001002';

function scenario(key: string): Scenario {
	const name = key.charAt(0).toUpperCase() + key.slice(1);
	return {
		workflowId: `e2eCat${name}`.padEnd(17, '0') + '001',
		appId: `e2e-category-${key}`,
		secretCode: `e2e-secret-category-${key}`,
		credentialId: `e2eCredCat${name}`,
		credentialName: `DocFlow e2e category ${key}`,
		authentication: 'simple',
	};
}

const S = { life: scenario('life'), example: scenario('example') };

/** Items a node output over all its runs (a node fed by two branches runs once per branch). */
function allRuns(r: Run, nodeName: string): RunItem[] {
	return (r.data.resultData.runData[nodeName] ?? []).flatMap((task) => task.data?.main?.[0] ?? []);
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const once = (node: WorkflowNode): WorkflowNode => Object.assign(node, { executeOnce: true });
const created = "={{ $('Create category').first().json.category_id }}";

/** The rows the stubbed sheet gives the example, as Google Sheets' Get Row(s) outputs them. */
const SHEET = [
	{ row_number: 2, Field: 'Invoice Number', Description: 'Printed top right', Prompt: 'The number after “No.”', Aliases: 'Invoice No., No.', 'Export Name': 'invoice_no' },
	{ row_number: 3, Field: 'Due Date', Description: 'When payment is due', Prompt: '', Aliases: '', 'Export Name': 'due_date' },
	{ row_number: 4, Field: 'IBAN', Description: '', Prompt: 'The bank account to pay to', Aliases: 'Account', 'Export Name': '' },
	{ row_number: 5, Field: 'Due Date', Description: 'Twice in the sheet', Prompt: '', Aliases: '', 'Export Name': '' },
];

describe.each(versionsUnderTest())('n8n %s: Category, Category Field and Category Table resources', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let batch: BatchResult;
	const workflows: Workflow[] = [];

	beforeAll(async () => {
		emulator = await startDocflowEmulator({
			credentials: emulatorCredentials(Object.values(S)),
		});
		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [SAMPLES]);
		const credentials = n8nCredentials(emulator.url, Object.values(S));
		await folder.importCredentials(credentials);

		const { life, example } = S;
		workflows.push(
			workflow(
				life,
				'category: create, fields, table, disable, list, delete',
				[
					manualTrigger(),
					readFiles('Read sample', `${SAMPLES}/simple.pdf`),
					docflow('Create category', life, {
						resource: 'category',
						operation: 'create',
						name: 'E2E Purchase Order',
						extractModel: 'Acgpt',
						binaryPropertyName: 'data',
						fieldsInput: 'fields',
						fields: { field: [{ name: 'PO Number', aliases: 'Order No.' }, { name: 'Supplier', prompt: 'The seller', usePrompt: true }] },
						tables: { table: [{ name: 'Lines', columns: 'Item, Quantity', mergeTables: true, extractModel: '', prompt: '' }] },
						options: { categoryPrompt: 'Purchase orders' },
					}),
					docflow('Its fields', life, { resource: 'categoryField', operation: 'getAll', categoryId: byId('={{ $json.category_id }}'), fieldScope: 'all', returnAll: true }),
					once(
						docflow('Add table', life, {
							resource: 'categoryTable',
							operation: 'add',
							categoryId: byId(created),
							tableName: 'Taxes',
							additionalFields: { columnNames: 'Rate, Amount', extractModel: 'DF-M1' },
						}),
					),
					docflow('Disable', life, { resource: 'category', operation: 'update', categoryId: byId(created), updateFields: { status: 0 } }),
					docflow('Disabled categories', life, { resource: 'category', operation: 'getAll', returnAll: true, filters: { status: '0' } }),
					once(docflow('Delete', life, { resource: 'category', operation: 'delete', categoryId: byId(created) })),
				],
				connect(['Start', 'Read sample', 'Create category', 'Its fields', 'Add table', 'Disable', 'Disabled categories', 'Delete']),
			),
			// the example with its Google Sheets node replaced by the same rows (a Set node and a
			// Split Out node, named as the sheet node was); everything else runs as shipped
			exampleForRun(EXAMPLE_FILE, example, (wf) => {
				const sheet = nodeNamed(wf, 'Field list');
				const [stubRows, stubSplit] = rows('Field list', SHEET);
				Object.assign(stubRows, { executeOnce: true });
				wf.nodes.splice(wf.nodes.indexOf(sheet), 1, stubRows, Object.assign(stubSplit, { id: sheet.id, position: sheet.position }));
				wf.connections['Current fields'] = { main: [[{ node: 'Field list rows', type: 'main', index: 0 }]] };
				wf.connections['Field list rows'] = { main: [[{ node: 'Field list', type: 'main', index: 0 }]] };
			}),
		);
		await folder.importWorkflows([...workflows, loadExample(EXAMPLE_FILE)]);
		batch = await folder.executeBatch(workflows.map((w) => w.id));
	}, 15 * 60_000);

	afterAll(async () => {
		await emulator?.close();
		folder?.remove();
	});

	test('the workflows finished', () => {
		expect(Object.fromEntries(batch.errors)).toEqual({});
		for (const s of Object.values(S)) expect(runOf(batch, s).data.resultData.error).toBeUndefined();
	});

	test('a category’s life in one run: outputs, and what DocFlow received', () => {
		const s = S.life;
		const r = runOf(batch, s);
		const [category] = output(r, 'Create category').map((i) => i.json);
		expect(category).toMatchObject({
			workspace_id: WORKSPACE_ID,
			category_id: expect.stringMatching(/^\d{19}$/),
			name: 'E2E Purchase Order',
			category_prompt: 'Purchase orders',
			extract_model: 'Acgpt',
			enabled: 1,
			samples: [{ file_name: 'simple.pdf' }],
		});
		const id = category.category_id as string;
		expect(output(r, 'Its fields').map((i) => [i.json.table_name, i.json.name])).toEqual([
			[null, 'PO Number'],
			[null, 'Supplier'],
			['Lines', 'Item'],
			['Lines', 'Quantity'],
		]);
		expect(output(r, 'Its fields').map(pairedIndex)).toEqual([0, 0, 0, 0]);
		expect(output(r, 'Add table').map((i) => i.json)).toEqual([
			expect.objectContaining({ category_id: id, table_id: expect.stringMatching(/^\d{19}$/), name: 'Taxes', extract_model: 'DF-M1', fields: [expect.objectContaining({ name: 'Rate' }), expect.objectContaining({ name: 'Amount' })] }),
		]);
		expect(output(r, 'Disable').map((i) => [i.json.id, i.json.enabled])).toEqual([[id, 0]]);
		expect(output(r, 'Disabled categories').map((i) => i.json.name)).toEqual(['old form', 'E2E Purchase Order']);
		expect(output(r, 'Delete').map((i) => i.json)).toEqual([{ workspace_id: WORKSPACE_ID, category_id: id, name: 'E2E Purchase Order', deleted: true }]);

		const requests = requestsOf(emulator, s);
		expect(wire(requests)).toEqual([
			'GET category/list',
			'POST category/create',
			'GET category/fields/list',
			'GET category/tables/list',
			'POST category/tables/batch_add',
			'POST category/update',
			'GET category/list',
			'GET category/list',
			'POST category/delete',
		]);
		for (const q of requests) {
			expect(q.auth).toMatchObject({ mode: 'simple', valid: true });
			expect(q.code).toBe(200);
		}
		const createRequest = requests[1];
		expect(createRequest.parts?.map((p) => p.name)).toEqual([
			'workspace_id',
			'name',
			'extract_model',
			'category_prompt',
			'fields',
			'tables',
			'with_detail',
			'sample_files',
		]);
		expect(createRequest.parts?.find((p) => p.name === 'sample_files')?.sha256).toBe(sha256(readFileSync(join(SAMPLES, 'simple.pdf'))));
		expect(requests[4].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: id,
			tables: [{ name: 'Taxes', extract_model: 'DF-M1', fields: [{ name: 'Rate' }, { name: 'Amount' }] }],
			with_detail: true,
		});
		expect(requests[5].json).toEqual({ workspace_id: WORKSPACE_ID, category_id: id, enabled: 0, with_detail: true });
		expect(requests[8].json).toEqual({ workspace_id: WORKSPACE_ID, category_ids: [id] });
		expect(emulator.workspaces[0].categories.some((c) => c.id === id)).toBe(false);
	});

	test('example “sync category fields from a Google Sheet”: the existing field updated, new ones added in one request, a row twice on the error output', () => {
		const s = S.example;
		const r = runOf(batch, s);
		expect(output(r, 'Current fields')).toHaveLength(7);
		expect(output(r, 'Already in DocFlow?', 0).map((i) => i.json.Field)).toEqual(['Invoice Number']);
		expect(output(r, 'Already in DocFlow?', 1).map((i) => i.json.Field)).toEqual(['Due Date', 'IBAN', 'Due Date']);

		expect(output(r, 'Update field').map((i) => i.json)).toEqual([
			expect.objectContaining({ field_id: INVOICE_NUMBER_FIELD, name: 'Invoice Number', description: 'Printed top right', alias: ['Invoice No.', 'No.'], identity: 'invoice_no', use_prompt: true }),
		]);
		const added = output(r, 'Add field', 0);
		expect(added.map((i) => [pairedIndex(i), i.json.name, i.json.identity, i.json.alias, i.json.use_prompt])).toEqual([
			[0, 'Due Date', 'due_date', [], false],
			[1, 'IBAN', '', ['Account'], true],
		]);
		const refused = output(r, 'Add field', 1);
		expect(refused.map(pairedIndex)).toEqual([2]);
		expect(allRuns(r, 'Rows DocFlow refused').map((i) => i.json)).toEqual([
			expect.objectContaining({
				Field: 'Due Date',
				error: expect.objectContaining({ message: 'Item 0 already adds a field named “Due Date” to the same category [item 2]' }),
			}),
		]);
		expect(allRuns(r, 'Synced').map((i) => i.json.name)).toEqual(['Invoice Number', 'Due Date', 'IBAN']);

		const requests = requestsOf(emulator, s);
		expect(wire(requests)).toEqual([
			'GET category/fields/list',
			'GET category/fields/list',
			'POST category/fields/batch_update',
			'GET category/fields/list',
			'POST category/fields/batch_add',
		]);
		expect(requests[2].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			fields: [
				{
					field_id: INVOICE_NUMBER_FIELD,
					description: 'Printed top right',
					prompt: 'The number after “No.”',
					use_prompt: true,
					alias: ['Invoice No.', 'No.'],
					identity: 'invoice_no',
				},
			],
			with_detail: true,
		});
		expect(requests[4].json).toEqual({
			workspace_id: WORKSPACE_ID,
			category_id: INVOICE,
			fields: [
				{ name: 'Due Date', description: 'When payment is due', use_prompt: false, identity: 'due_date' },
				{ name: 'IBAN', prompt: 'The bank account to pay to', use_prompt: true, alias: ['Account'] },
			],
			with_detail: true,
		});
	});

	test('the example imports unchanged and every node, version, parameter and credential is one this n8n knows', async () => {
		await expectExamplesValid(folder, [EXAMPLE_FILE]);
	});
});
