import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, sample, seedUpload, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import {
	OTHER_ENTERPRISE_WORKSPACE,
	credential,
	jsonOf,
	requestsOf,
	requestsTo,
	runBadInput,
	wire,
	workspaceParameters,
} from './helpers.ts';

const env = useEmulator();

const deleteParameters = (id: string = WORKSPACE_ID) => workspaceParameters('delete', { workspace: workspace(id) });
const deletes = () => requestsTo(env.emulator, 'workspace/delete');
const exists = (id: string) => env.emulator.workspaces.some((w) => w.workspace_id === id);
const NOT_FOUND = /^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”, HTTP 200, trace ID [0-9a-f]{32}\) \[item \d\]$/;

describe('Workspace → Delete', () => {
	test('deletes the workspace (and its documents); afterwards DocFlow does not know it', async () => {
		await seedUpload(env.emulator, ['in-the-workspace.pdf']);
		env.emulator.clearRequests();
		const result = await runDocflow({ parameters: deleteParameters(), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['POST workspace/delete']);
		expect(deletes()[0].headers['content-type']).toMatch(/^application\/json/);
		expect(deletes()[0].json).toEqual({ workspace_ids: [WORKSPACE_ID] });
		expect(deletes()[0].code).toBe(200);
		expect(result.items).toEqual([{ json: { workspace_id: WORKSPACE_ID, deleted: true }, pairedItem: { item: 0 } }]);
		expect(exists(WORKSPACE_ID)).toBe(false);
		expect(env.emulator.tasks()).toEqual([]);

		// a following Get or Upload on it gets DocFlow's “not found”
		const get = await runDocflow({ parameters: workspaceParameters('get', { workspace: workspace() }), credentials: credential(env.emulator) });
		expect(get.error?.message).toMatch(NOT_FOUND);
		const upload = await runDocflow({
			parameters: { resource: 'file', operation: 'upload', workspace: workspace(), waitForCompletion: false },
			credentials: credential(env.emulator),
			items: [{ binary: { data: { data: sample('simple.pdf'), fileName: 'simple.pdf', mimeType: 'application/pdf' } } }],
		});
		expect(upload.error?.message).toMatch(NOT_FOUND);
	});

	test('one delete per item, each output paired; a workspace created in the run can be deleted by the ID it output', async () => {
		const created = await runDocflow({
			parameters: workspaceParameters('create', { name: '={{ $json.client }}' }),
			credentials: credential(env.emulator),
			items: [{ json: { client: 'Temp A' } }, { json: { client: 'Temp B' } }],
		});
		const ids = created.items.map((i) => i.json.workspace_id as string);
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: workspaceParameters('delete', { workspace: workspace('={{ $json.workspace_id }}') }),
			credentials: credential(env.emulator),
			items: created.items.map((i) => ({ json: i.json })),
		});
		expect(result.error).toBeUndefined();
		expect(deletes().map((r) => r.json)).toEqual(ids.map((id) => ({ workspace_ids: [id] })));
		expect(jsonOf(result.items)).toEqual(ids.map((workspace_id) => ({ workspace_id, deleted: true })));
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(ids.some(exists)).toBe(false);
	});

	test('the workspace picked From List', async () => {
		const result = await runDocflow({
			parameters: workspaceParameters('delete', { workspace: { __rl: true, mode: 'list', value: '2234567890', cachedResultName: 'Contracts' } }),
			credentials: credential(env.emulator),
		});
		expect(result.items[0].json).toEqual({ workspace_id: '2234567890', deleted: true });
		expect(exists('2234567890')).toBe(false);
		expect(exists(WORKSPACE_ID)).toBe(true);
	});
});

describe('Workspace → Delete after a lost answer', () => {
	test('DocFlow deleted it but the answer got lost: the node looks, finds it gone, and counts it done (sent once)', async () => {
		env.emulator.injectFault({ path: 'workspace/delete', kind: 'reset-after' });
		const result = await runDocflow({ parameters: deleteParameters(), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['POST workspace/delete', 'GET workspace/get']);
		expect(env.emulator.requests[1].code).toBe(40004);
		expect(result.items[0].json).toEqual({ workspace_id: WORKSPACE_ID, deleted: true });
		expect(exists(WORKSPACE_ID)).toBe(false);
	});

	test('a gateway error before DocFlow acted: the workspace is still there, so the delete goes again, once', async () => {
		env.emulator.injectFault({ path: 'workspace/delete', kind: 'status', status: 504 });
		const result = await runDocflow({ parameters: deleteParameters(), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['POST workspace/delete', 'GET workspace/get', 'POST workspace/delete']);
		expect(deletes().map((r) => r.status)).toEqual([504, 200]);
		expect(result.items[0].json).toEqual({ workspace_id: WORKSPACE_ID, deleted: true });
		expect(exists(WORKSPACE_ID)).toBe(false);
	});
});

describe('Workspace → Delete after a lost answer, when DocFlow cannot be asked either', () => {
	test('the look-up fails too: the item fails with “may have been deleted — check”, and nothing is sent again', async () => {
		const prepare = () => {
			env.emulator.injectFault({ path: 'workspace/delete', kind: 'reset-after' });
			env.emulator.injectFault({ path: 'workspace/get', kind: 'status', status: 500, times: 10 });
		};
		const runs = await runBadInput(
			env.emulator,
			workspaceParameters('delete', { workspace: workspace(), options: { maxRetries: 0 } }),
			[{ json: {} }],
			undefined,
			prepare,
		);
		const message = `Workspace ${WORKSPACE_ID} may have been deleted: DocFlow’s answer got lost [item 0]`;
		expect(runs.stopped.error?.message).toBe(message);
		expect(runs.stopped.error?.description).toMatch(
			/^Looking the workspace up afterwards failed too \(DocFlow is not available right now \(DocFlow code 500, .*HTTP 500.*\)\), so the node did not send the delete again\. Check the workspace list in DocFlow/,
		);
		expect(jsonOf(runs.regular.items)).toEqual([
			{ workspace_id: WORKSPACE_ID, error: message, description: expect.stringMatching(/did not send the delete again/) },
		]);
		expect(runs.errorOutput.errorItems.map((i) => i.json.error)).toEqual([expect.objectContaining({ message, workspace_id: WORKSPACE_ID })]);
		for (const run of [runs.stopped, runs.regular, runs.errorOutput]) {
			expect(requestsOf(run).map((r) => `${r.method} ${r.path.split('/v2/')[1]}`)).toEqual(['POST workspace/delete', 'GET workspace/get']);
		}
	});
});

describe('Workspace → Delete: bad input', () => {
	test.each([
		['a workspace DocFlow does not have', '404404'],
		['a workspace of another enterprise', OTHER_ENTERPRISE_WORKSPACE],
	])('%s: DocFlow’s 40004 on its own item; the other item is deleted', async (_label, id) => {
		const runs = await runBadInput(
			env.emulator,
			workspaceParameters('delete', { workspace: workspace('={{ $json.ws }}') }),
			[{ json: { ws: '2234567890' } }, { json: { ws: id } }],
		);
		expect(runs.stopped.error?.message).toMatch(NOT_FOUND);
		expect(runs.stopped.error?.message).toMatch(/\[item 1\]$/);
		expect(runs.stopped.error?.description).toMatch(/Check the Workspace ID/);
		expect(runs.regular.items.map((i) => [i.pairedItem, i.json.workspace_id, i.json.deleted ?? i.json.error])).toEqual([
			[{ item: 0 }, '2234567890', true],
			[{ item: 1 }, id, expect.stringMatching(NOT_FOUND)],
		]);
		expect(runs.regular.items[1].json).toMatchObject({ docflow_code: 40004, docflow_message: '工作空间不存在', trace_id: expect.any(String) });
		expect(jsonOf(runs.errorOutput.items)).toEqual([{ workspace_id: '2234567890', deleted: true }]);
		expect(runs.errorOutput.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1 }, expect.objectContaining({ message: expect.stringMatching(NOT_FOUND), workspace_id: id, docflow_code: 40004 })],
		]);
		// one delete per item, never repeated; the other enterprise's workspace is untouched
		expect(requestsOf(runs.errorOutput).map((r) => (r.json as { workspace_ids: string[] }).workspace_ids)).toEqual([['2234567890'], [id]]);
		expect(exists(OTHER_ENTERPRISE_WORKSPACE)).toBe(true);
	});

	test.each([
		['an empty Workspace ID', '', 'Workspace is empty [item 1]', /Set Workspace/],
		['a blank Workspace ID', '   ', 'Workspace is empty [item 1]', /Set Workspace/],
		['an object where the ID belongs', { id: WORKSPACE_ID }, 'Workspace must be one value, but it is an object [item 1]', /Map a single field/],
	])('%s: refused before anything is deleted', async (_label, value, message, description) => {
		const runs = await runBadInput(
			env.emulator,
			workspaceParameters('delete', { workspace: workspace('={{ $json.ws }}') }),
			[{ json: { ws: '2234567890' } }, { json: { ws: value } }],
		);
		expect(runs.stopped.error?.message).toBe(message);
		expect(runs.stopped.error?.description).toMatch(description);
		expect(requestsOf(runs.stopped)).toEqual([]);
		expect(runs.regular.items.map((i) => [i.json.workspace_id, i.json.deleted ?? i.json.error])).toEqual([
			['2234567890', true],
			[undefined, message],
		]);
		expect(runs.errorOutput.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1 }, expect.objectContaining({ message })],
		]);
		expect(requestsOf(runs.regular).map((r) => r.json)).toEqual([{ workspace_ids: ['2234567890'] }]);
	});
});
