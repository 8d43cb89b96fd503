/**
 * File → Update Result, Amend Category, Extract Fields and Delete inside real n8n (each version
 * under test), against their own DocFlow emulator: every operation in a workflow run by
 * `n8n execute-batch`, bad input on the error output, and the two examples (“human check”,
 * “re-route mis-classified documents”) validated as shipped and run. Every scenario is checked
 * twice: what n8n output, and what DocFlow (the emulator, in this process) received and holds.
 */
import { randomUUID } from 'node:crypto';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { seedUpload } from '../harness/fixtures.ts';
import { N8nFolder, SAMPLES, output, packPackage, pairedIndex, versionsUnderTest } from './n8n.ts';
import type { BatchResult, Workflow, WorkflowNode } from './n8n.ts';
import {
	DOCFLOW_NODE,
	WORKSPACE_ID,
	connect,
	emulatorCredentials,
	exampleForRun,
	expectAllFinished,
	expectExamplesValid,
	loadExample,
	manualTrigger,
	n8nCredentials,
	noOp,
	nodeNamed,
	readFiles,
	requestsOf,
	rows,
	runOf,
	workflow,
} from './workflows.ts';
import type { Scenario } from './workflows.ts';

const EXAMPLE_FILES = ['human-check.json', 'reroute-misclassified.json'];

function scenario(key: string, workflowId: string): Scenario {
	return {
		workflowId,
		appId: `e2e-fr-${key}`,
		secretCode: `e2e-secret-fr-${key}`,
		credentialId: `e2eCredFr${key.charAt(0).toUpperCase()}${key.slice(1)}`,
		credentialName: `DocFlow e2e file results ${key}`,
		authentication: key === 'extract' ? 'signature' : 'simple',
	};
}

const SCENARIOS = {
	update: scenario('update', 'e2eFrUpdate000000001'),
	amend: scenario('amend', 'e2eFrAmend0000000001'),
	extract: scenario('extract', 'e2eFrExtract00000001'),
	remove: scenario('remove', 'e2eFrRemove00000001'),
	human: scenario('human', 'e2eFrHuman000000001'),
	reroute: scenario('reroute', 'e2eFrReroute0000001'),
};

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** A DocFlow node on the File resource with the scenario's credential. */
function fileNode(name: string, s: Scenario, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: DOCFLOW_NODE,
		typeVersion: 1.1,
		position: [0, 0],
		parameters: { resource: 'file', workspace: byId(WORKSPACE_ID), ...parameters },
		credentials: { docFlowApi: { id: s.credentialId, name: s.credentialName } },
		...extra,
	};
}

/** A Set node (raw JSON) that outputs one item holding `json`. */
function jsonItem(name: string, json: Record<string, unknown>): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [0, 0],
		parameters: { mode: 'raw', jsonOutput: JSON.stringify(json), options: {} },
	};
}

async function fetchOne(emulator: DocflowEmulator, query: Record<string, string>): Promise<any> {
	const url = new URL(`${emulator.url}/api/app-api/sip/platform/v2/file/fetch`);
	for (const [k, v] of Object.entries({ workspace_id: WORKSPACE_ID, ...query })) url.searchParams.set(k, v);
	const res = await fetch(url, { headers: { 'x-ti-app-id': 'demo-app-id', 'x-ti-secret-code': 'demo-secret-code' } });
	return ((await res.json()) as any).result.files[0];
}

describe.each(versionsUnderTest())('n8n %s: File → Update Result, Amend Category, Extract Fields, Delete', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let batch: BatchResult;
	const workflows: Workflow[] = [];
	const seeded: Record<string, { batch: string; fileId: string; taskId: string }> = {};

	beforeAll(async () => {
		emulator = await startDocflowEmulator({
			stepMs: 150,
			credentials: emulatorCredentials(Object.values(SCENARIOS)),
		});
		// What DocFlow already has before the workflows run (put there over its HTTP API).
		for (const [key, names, query] of [
			['updateFields', ['fr-update-fields.pdf'], {}],
			['updateJson', ['fr-update-json.pdf'], {}],
			['amend', ['fr-amend-invoice.pdf'], {}],
			['extract', ['fr-extract.pdf'], {}],
			['deleteA', ['fr-delete-a1.pdf', 'fr-delete-a2.pdf'], {}],
			['deleteB', ['fr-delete-b.pdf'], {}],
			// a receipt DocFlow was told is an invoice: the re-route example's catch
			['misfiled', ['fr-receipt-misfiled.pdf'], { category: '发票' }],
		] as Array<[string, string[], Record<string, string>]>) {
			const up = await seedUpload(emulator, names, query);
			seeded[key] = { batch: up.batch_number, fileId: up.files[0].id, taskId: up.files[0].task_id };
		}
		emulator.finishAll();

		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [SAMPLES]);
		const credentials = n8nCredentials(emulator.url, Object.values(SCENARIOS));
		await folder.importCredentials(credentials);

		const { update, amend, extract, remove, human, reroute } = SCENARIOS;
		const toErrorOutput = { onError: 'continueErrorOutput' } as const;
		workflows.push(
			// Update Result: Fields to Update; JSON in the simplified shape; an unknown field on the error output
			workflow(
				update,
				'update result',
				[
					manualTrigger(),
					fileNode('Update fields', update, {
						operation: 'updateResult',
						file: byId(seeded.updateFields.fileId),
						changes: { field: [{ name: 'Invoice Number', value: '28737001' }, { name: 'Remarks', value: 'checked by Ana' }] },
					}),
					jsonItem('Corrections', {
						fields: { 'Total Amount': '11400.00' },
						tables: { 'Goods Details': [{ Amount: '10100.00' }, { Amount: '1300.00' }] },
					}),
					fileNode('Update JSON', update, {
						operation: 'updateResult',
						file: byId(seeded.updateJson.fileId),
						changesMode: 'json',
						resultJson: '={{ $json }}',
						simplify: false,
					}),
					fileNode(
						'Update unknown field',
						update,
						{ operation: 'updateResult', file: byId(seeded.updateJson.fileId), changes: { field: [{ name: 'Invoice No', value: '1' }] } },
						toErrorOutput,
					),
					noOp('Refused'),
				],
				connect(['Start', 'Update fields'], ['Start', 'Corrections', 'Update JSON'], ['Start', 'Update unknown field'], [['Update unknown field', 1], 'Refused']),
			),
			// Amend Category of a regular task, waiting for DocFlow's new extraction
			workflow(
				amend,
				'amend category',
				[
					manualTrigger(),
					fileNode('Amend', amend, {
						operation: 'amendCategory',
						task: byId(seeded.amend.taskId),
						taskType: 'regular',
						category: 'contract',
						waitForCompletion: true,
						options: { pollIntervalSeconds: 0.5, timeoutMinutes: 2 },
					}),
				],
				connect(['Start', 'Amend']),
			),
			// Extract Fields: a new field with a prompt and model, a table column (signature authentication)
			workflow(
				extract,
				'extract fields',
				[
					manualTrigger(),
					fileNode('Extract', extract, {
						operation: 'extractFields',
						task: byId(seeded.extract.taskId),
						fields: { field: [{ key: 'Due Date', prompt: 'The payment due date', extractModel: 'DF-M1' }] },
						tables: { table: [{ name: 'Goods Details', extractModel: '', columns: { column: [{ key: 'Unit', prompt: 'unit of measure' }] } }] },
					}),
				],
				connect(['Start', 'Extract']),
			),
			// Delete by batch numbers (one item per batch); an open-ended time range on the error output
			workflow(
				remove,
				'delete',
				[
					manualTrigger(),
					...rows('Batches', [{ batch: seeded.deleteA.batch }, { batch: seeded.deleteB.batch }]),
					fileNode('Delete', remove, { operation: 'delete', deleteBy: 'batchNumber', batchNumbers: '={{ $json.batch }}' }),
					fileNode(
						'Delete open range',
						remove,
						{ operation: 'delete', deleteBy: 'timeRange', updatedAfter: '={{ $now.minus({ days: 1 }).toISO() }}', updatedBefore: '={{ "" }}' },
						toErrorOutput,
					),
					noOp('Not deleted'),
				],
				connect(['Start', 'Batches rows', 'Batches', 'Delete'], ['Start', 'Delete open range'], [['Delete open range', 1], 'Not deleted']),
			),
			// the human-check example without its outside parts: the form trigger becomes a Manual
			// Trigger and the sample read into `Document` (what the form's file field gives), the Wait
			// node's form a Set node answering it; DocFlow Upload and Update Result run as shipped
			exampleForRun('human-check.json', human, (wf) => {
				const trigger = nodeNamed(wf, 'Upload a document');
				Object.assign(trigger, readFiles('Upload a document', `${SAMPLES}/simple.pdf`, 'Document'), { id: trigger.id, position: trigger.position });
				delete (trigger as Partial<WorkflowNode> & { webhookId?: string }).webhookId;
				wf.nodes.push(manualTrigger('Someone uploads'));
				wf.connections['Someone uploads'] = { main: [[{ node: 'Upload a document', type: 'main', index: 0 }]] };
				const check = nodeNamed(wf, 'Check the extracted values');
				Object.assign(check, jsonItem('Check the extracted values', {
					'Invoice Number': '28737001',
					'Invoice Date': '2024-03-15',
					'Seller Name': 'Shanghai Example Technology Co., Ltd.',
					'Buyer Name': 'Beijing Sample Trading Co., Ltd.',
					'Total Amount': '11400.00',
					submittedAt: '2025-01-01T10:00:00.000+00:00',
					formMode: 'production',
				}), { id: check.id, position: check.position });
				delete (check as Partial<WorkflowNode> & { webhookId?: string }).webhookId;
			}),
			// the re-route example as shipped (run from its manual trigger)
			exampleForRun('reroute-misclassified.json', reroute),
		);
		await folder.importWorkflows([...workflows, ...EXAMPLE_FILES.map(loadExample)]);
		batch = await folder.executeBatch(workflows.map((w) => w.id));
	}, 15 * 60_000);

	afterAll(async () => {
		await emulator?.close();
		folder?.remove();
	});

	test('every workflow finished', () => {
		expectAllFinished(batch, workflows.map((w) => w.id));
	});

	test('Update Result: the whole result goes back with the changes; JSON in the simplified shape; an unknown field on the error output, nothing written', async () => {
		const s = SCENARIOS.update;
		const r = runOf(batch, s);
		const [fields] = output(r, 'Update fields');
		expect(fields.json).toMatchObject({
			workspace_id: WORKSPACE_ID,
			file_id: seeded.updateFields.fileId,
			fields: { 'Invoice Number': '28737001', Remarks: 'checked by Ana', 'Invoice Code': '3100231130' },
		});
		const [raw] = output(r, 'Update JSON');
		expect(raw.json.id).toBe(seeded.updateJson.fileId);
		expect(raw.json.data.fields.find((f: any) => f.key === 'Total Amount').value).toBe('11400.00');
		expect(raw.json.data.items.map((row: any[]) => row.find((c) => c.key === 'Amount').value)).toEqual(['10100.00', '1300.00']);
		expect(output(r, 'Update unknown field')).toEqual([]);
		const refused = output(r, 'Refused');
		expect(refused).toHaveLength(1);
		expect(refused[0].json.error.message).toMatch(/^File \d+ has no field “Invoice No”; its fields are “Invoice Code”, “Invoice Number”/);
		expect(refused[0].json.error).toMatchObject({ workspace_id: WORKSPACE_ID, file_id: seeded.updateJson.fileId });

		const updates = requestsOf(emulator, s, 'file/update');
		expect(updates).toHaveLength(2);
		const sent = updates.map((u) => (u.json as any[])[0]);
		expect(sent.map((e) => e.file_id).sort()).toEqual([seeded.updateFields.fileId, seeded.updateJson.fileId].sort());
		for (const entry of sent) {
			expect(entry.workspace_id).toBe(WORKSPACE_ID);
			// every field of the invoice, not only the changed ones (file/update replaces the result)
			expect(entry.data.fields).toHaveLength(7);
			expect(entry.data.items).toHaveLength(2);
		}
		expect((await fetchOne(emulator, { file_id: seeded.updateFields.fileId })).data.fields.find((f: any) => f.key === 'Remarks').value).toBe('checked by Ana');
	});

	test('Amend Category: the task and the categories are read, the new category sent once, and the new extraction waited for', async () => {
		const s = SCENARIOS.amend;
		const [item] = output(runOf(batch, s), 'Amend');
		expect(item.json).toMatchObject({
			task_id: seeded.amend.taskId,
			category: 'contract',
			status: 'success',
			fields: { 'Contract Number': 'HT-2024-0117' },
		});
		const amendments = requestsOf(emulator, s, 'file/amend_category');
		expect(amendments.map((a) => a.json)).toEqual([{ workspace_id: WORKSPACE_ID, task_id: seeded.amend.taskId, category: 'contract' }]);
		expect(requestsOf(emulator, s, 'category/list')[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, enabled: '1' });
		const polls = requestsOf(emulator, s, 'file/fetch').slice(1);
		expect(polls.length).toBeGreaterThan(0);
		for (const poll of polls) expect(poll.query.batch_number).toBe(seeded.amend.batch);
	});

	test('Extract Fields: fields and columns with prompts and models, signed; the complete result out', () => {
		const s = SCENARIOS.extract;
		const [item] = output(runOf(batch, s), 'Extract');
		expect(item.json).toMatchObject({ task_id: seeded.extract.taskId, fields: { 'Due Date': 'Due Date (extracted: The payment due date)', 'Invoice Number': '28737000' } });
		expect(item.json.tables['Goods Details'][0].Unit).toBe('Unit 1 (extracted: unit of measure)');
		const [request] = requestsOf(emulator, s, 'file/extract_fields');
		expect(request.auth).toMatchObject({ mode: 'signature', valid: true });
		expect(request.json).toEqual({
			workspace_id: WORKSPACE_ID,
			task_id: seeded.extract.taskId,
			fields: [{ key: 'Due Date', prompt: 'The payment due date', extract_model: 'DF-M1' }],
			tables: [{ name: 'Goods Details', fields: [{ key: 'Unit', prompt: 'unit of measure' }] }],
		});
	});

	test('Delete: one request per item with DocFlow’s count; the files are gone; an open-ended range refused on the error output', () => {
		const s = SCENARIOS.remove;
		const r = runOf(batch, s);
		const deleted = output(r, 'Delete');
		expect(deleted.map((i) => [pairedIndex(i), i.json])).toEqual([
			[0, { workspace_id: WORKSPACE_ID, batch_number: [seeded.deleteA.batch], deleted: true, deleted_count: 2 }],
			[1, { workspace_id: WORKSPACE_ID, batch_number: [seeded.deleteB.batch], deleted: true, deleted_count: 1 }],
		]);
		expect(requestsOf(emulator, s, 'file/delete').map((d) => d.json)).toEqual([
			{ workspace_id: WORKSPACE_ID, batch_number: [seeded.deleteA.batch] },
			{ workspace_id: WORKSPACE_ID, batch_number: [seeded.deleteB.batch] },
		]);
		expect(emulator.tasks().filter((t) => t.name.startsWith('fr-delete-'))).toEqual([]);
		const refused = output(r, 'Not deleted');
		expect(refused).toHaveLength(1);
		expect(refused[0].json.error.message).toBe('Updated Before is empty: the node does not delete by an open-ended time range [item 0]');
	});

	test('example “human check”: Upload → (the form’s answers) → Update Result writes the corrections', async () => {
		const s = SCENARIOS.human;
		const r = runOf(batch, s);
		const [uploaded] = output(r, 'DocFlow Upload');
		expect(uploaded.json).toMatchObject({ file_name: 'simple.pdf', status: 'success' });
		const [updated] = output(r, 'Update Result');
		expect(updated.json).toMatchObject({
			file_id: uploaded.json.file_id,
			fields: { 'Invoice Number': '28737001', 'Total Amount': '11400.00', 'Invoice Code': '3100231130' },
		});
		const [request] = requestsOf(emulator, s, 'file/update');
		expect((request.json as any[])[0].data.fields.map((f: any) => f.key)).toEqual([
			'Invoice Code',
			'Invoice Number',
			'Invoice Date',
			'Seller Name',
			'Buyer Name',
			'Total Amount',
			'Remarks',
		]);
		const stored = await fetchOne(emulator, { file_id: uploaded.json.file_id });
		expect(stored.data.fields.find((f: any) => f.key === 'Total Amount').value).toBe('11400.00');
	});

	test('example “re-route mis-classified documents”: Fetch Batch → IF → Amend Category moves the misfiled receipt, and only it', () => {
		const s = SCENARIOS.reroute;
		const r = runOf(batch, s);
		const listed = output(r, 'Processed in the last hour');
		expect(listed.map((i) => i.json.file_name)).toContain('fr-receipt-misfiled.pdf');
		const [moved, ...others] = output(r, 'Amend Category');
		expect(others).toEqual([]);
		expect(moved.json).toMatchObject({ task_id: seeded.misfiled.taskId, file_name: 'fr-receipt-misfiled.pdf', category: 'receipt', status: 'success' });
		expect(moved.json.fields['Merchant Name']).toBe('Green Leaf Cafe');
		expect(requestsOf(emulator, s, 'file/amend_category').map((a) => a.json)).toEqual([
			{ workspace_id: WORKSPACE_ID, task_id: seeded.misfiled.taskId, category: 'receipt' },
		]);
	});

	test('the examples import unchanged, and every node, version, parameter and credential is one this n8n knows', async () => {
		await expectExamplesValid(folder, EXAMPLE_FILES);
	});
});
