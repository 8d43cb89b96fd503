/**
 * “On Error: Continue (using error output)”: every failed item goes to the node's error output
 * with its whole detail under `error` (the one shape n8n 1.x and 2.x both route), every good item
 * to the success output; with “Continue (using regular
 * output)” both stay on the one output, flat, as before. Through n8n-core's own routing
 * (WorkflowExecute.handleNodeErrorOutput), for every operation.
 */
import { runDocflow } from './harness/engine.ts';
import type { RunOptions } from './harness/engine.ts';
import {
	WORKSPACE_ID,
	credentialFor,
	sample,
	seedUpload,
	useEmulator,
	workspace,
} from './harness/fixtures.ts';

const env = useEmulator();

const pdf = (name: string) => ({
	json: { source: name },
	binary: { data: { data: sample('simple.pdf'), fileName: name, mimeType: 'application/pdf' } },
});
const emptyFile = {
	json: { source: 'empty' },
	binary: { data: { data: Buffer.alloc(0), fileName: 'empty.pdf', mimeType: 'application/pdf' } },
};

const run = async (options: Omit<RunOptions, 'credentials'>) =>
	await runDocflow({ credentials: credentialFor(env.emulator), ...options });

describe('Continue (using error output)', () => {
	test('Upload: a refused file goes to the error output with its detail, the others to success', async () => {
		const result = await run({
			parameters: { resource: 'file', operation: 'upload', workspace: workspace(), waitForCompletion: false },
			items: [pdf('a.pdf'), emptyFile, pdf('b.pdf')],
			onError: 'continueErrorOutput',
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.name, i.pairedItem])).toEqual([
			['a.pdf', { item: 0 }],
			['b.pdf', { item: 2 }],
		]);
		expect(result.errorItems).toHaveLength(1);
		const [failed] = result.errorItems;
		expect(failed.pairedItem).toEqual({ item: 1 });
		// n8n adds the input item's fields to an error-output item.
		expect(failed.json).toMatchObject({
			source: 'empty',
			error: {
				message: expect.stringMatching(/“empty\.pdf” in binary field “data” is empty \[item 1\]$/),
				description: expect.stringMatching(/empty file/),
				binary_field: 'data',
				file_name: 'empty.pdf',
			},
		});
	});

	test('Upload: a DocFlow refusal keeps DocFlow’s code, message and trace ID on the error output', async () => {
		const result = await run({
			parameters: { resource: 'file', operation: 'upload', workspace: workspace('404404'), waitForCompletion: false },
			items: [pdf('a.pdf')],
			onError: 'continueErrorOutput',
			typeVersion: 1.1,
		});
		expect(result.items).toEqual([]);
		expect(result.errorItems).toHaveLength(1);
		expect(result.errorItems[0].json.error).toMatchObject({
			workspace_id: '404404',
			batch_number: expect.stringMatching(/^\d{19}$/),
			docflow_code: 40004,
			docflow_message: '工作空间不存在',
			trace_id: expect.any(String),
		});
	});

	test('Fetch Batch: an unknown workspace on the error output, a good look-up on success', async () => {
		const seeded = await seedUpload(env.emulator, ['x.pdf']);
		const result = await run({
			parameters: {
				resource: 'file',
				operation: 'fetchBatch',
				workspace: workspace('={{ $json.ws }}'),
				batchNumber: seeded.batch_number,
			},
			items: [{ json: { ws: '404404' } }, { json: { ws: WORKSPACE_ID } }],
			onError: 'continueErrorOutput',
			typeVersion: 1.1,
		});
		expect(result.items.map((i) => [i.json.file_name, i.pairedItem])).toEqual([['x.pdf', { item: 1 }]]);
		expect(result.errorItems.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(result.errorItems[0].json).toMatchObject({
			ws: '404404',
			error: { message: expect.stringMatching(/workspace.*\[item 0\]$/), workspace_id: '404404', docflow_code: 40004 },
		});
	});

	test('Retry: an unknown task on the error output, a retried one on success', async () => {
		const seeded = await seedUpload(env.emulator, ['will-fail.pdf']);
		env.emulator.finishAll();
		const result = await run({
			parameters: { resource: 'file', operation: 'retry', workspace: workspace(), taskId: '={{ $json.task }}' },
			items: [{ json: { task: '404' } }, { json: { task: seeded.files[0].task_id } }],
			onError: 'continueErrorOutput',
			typeVersion: 1.1,
		});
		expect(result.items.map((i) => [i.json.task_id, i.json.retried, i.pairedItem])).toEqual([
			[seeded.files[0].task_id, true, { item: 1 }],
		]);
		expect(result.errorItems).toHaveLength(1);
		expect(result.errorItems[0]).toMatchObject({
			pairedItem: { item: 0 },
			json: {
				error: { message: expect.stringMatching(/^Task 404 was not found/), workspace_id: WORKSPACE_ID, task_id: '404' },
			},
		});
	});
});

describe('Continue (using regular output)', () => {
	test('errors stay on the one output, flat, in item order', async () => {
		const result = await run({
			parameters: { resource: 'file', operation: 'upload', workspace: workspace(), waitForCompletion: false },
			items: [pdf('a.pdf'), emptyFile],
			onError: 'continueRegularOutput',
			typeVersion: 1.1,
		});
		expect(result.errorItems).toEqual([]);
		expect(result.items).toHaveLength(2);
		expect(result.items[1]).toMatchObject({
			pairedItem: { item: 1 },
			json: { error: expect.stringMatching(/is empty \[item 1\]$/), binary_field: 'data', file_name: 'empty.pdf' },
		});
		expect(typeof result.items[1].json.error).toBe('string');
	});
});
