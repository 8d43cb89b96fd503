import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import {
	OTHER_ENTERPRISE_WORKSPACE,
	credential,
	jsonOf,
	requestsOf,
	runBadInput,
	wire,
	workspaceParameters,
} from './helpers.ts';

const env = useEmulator();

const INVOICES = {
	workspace_id: WORKSPACE_ID,
	name: 'Invoices',
	description: 'Invoices workspace (emulator)',
	auth_scope: 1,
	manage_account_id: 'admin_1001',
	manage_account_name: 'Demo Admin',
	callback_url: '',
	callback_retry_time: 0,
};

describe('Workspace → Get', () => {
	test('reads workspace/get and outputs the workspace flat, workspace_id first', async () => {
		Object.assign(env.emulator.workspaces[0], { callback_url: 'https://example.com/cb', callback_retry_time: 2 });
		const result = await runDocflow({
			parameters: workspaceParameters('get', { workspace: workspace() }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['GET workspace/get']);
		expect(env.emulator.requests[0].query).toEqual({ workspace_id: WORKSPACE_ID });
		expect(result.items).toEqual([
			{ json: { ...INVOICES, callback_url: 'https://example.com/cb', callback_retry_time: 2 }, pairedItem: { item: 0 } },
		]);
		expect(Object.keys(result.items[0].json)[0]).toBe('workspace_id');
	});

	test('the workspace picked From List (its value is the ID), and one per item from an expression', async () => {
		let result = await runDocflow({
			parameters: workspaceParameters('get', { workspace: { __rl: true, mode: 'list', value: '2234567890', cachedResultName: 'Contracts' } }),
			credentials: credential(env.emulator),
		});
		expect(jsonOf(result.items).map((j) => j.name)).toEqual(['Contracts']);

		env.emulator.clearRequests();
		result = await runDocflow({
			parameters: workspaceParameters('get', { workspace: workspace('={{ $json.ws }}') }),
			credentials: credential(env.emulator),
			items: [{ json: { ws: '2234567890' } }, { json: { ws: WORKSPACE_ID } }],
		});
		expect(result.items.map((i) => [i.json.name, i.pairedItem])).toEqual([
			['Contracts', { item: 0 }],
			['Invoices', { item: 1 }],
		]);
		expect(env.emulator.requests.map((r) => r.query.workspace_id)).toEqual(['2234567890', WORKSPACE_ID]);
	});

	test.each([
		['an unknown workspace', '404404'],
		['a workspace of another enterprise', OTHER_ENTERPRISE_WORKSPACE],
	])('%s: DocFlow’s 40004 with what to check, on its own item', async (_label, id) => {
		const runs = await runBadInput(
			env.emulator,
			workspaceParameters('get', { workspace: workspace('={{ $json.ws }}') }),
			[{ json: { ws: WORKSPACE_ID } }, { json: { ws: id } }],
		);
		const message = /^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”, HTTP 200, trace ID [0-9a-f]{32}\) \[item 1\]$/;
		expect(runs.stopped.error?.message).toMatch(message);
		expect(runs.stopped.error?.description).toMatch(/Check the Workspace ID/);
		expect(runs.regular.items.map((i) => [i.pairedItem, i.json.name, i.json.error])).toEqual([
			[{ item: 0 }, 'Invoices', undefined],
			[{ item: 1 }, undefined, expect.stringMatching(message)],
		]);
		expect(runs.regular.items[1].json).toMatchObject({ workspace_id: id, docflow_code: 40004, docflow_message: '工作空间不存在' });
		expect(jsonOf(runs.errorOutput.items)).toEqual([INVOICES]);
		expect(runs.errorOutput.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1 }, expect.objectContaining({ message: expect.stringMatching(message), workspace_id: id, docflow_code: 40004 })],
		]);
	});

	test.each([
		['an empty Workspace', '', 'Workspace is empty [item 1]', /Set Workspace/],
		['a list where one ID belongs', ['1', '2'], 'Workspace must be one value, but it is a list of 2 values [item 1]', /Split Out/],
		['an ID above 2^53 given as a number', 12345678901234567890, 'Workspace 12345678901234567000 is a number too large to be exact [item 1]', /Pass it as text/],
	])('%s is refused before any request', async (_label, value, message, description) => {
		const runs = await runBadInput(
			env.emulator,
			workspaceParameters('get', { workspace: workspace('={{ $json.ws }}') }),
			[{ json: { ws: WORKSPACE_ID } }, { json: { ws: value } }],
		);
		expect(runs.stopped.error?.message).toBe(message);
		expect(runs.stopped.error?.description).toMatch(description);
		expect(requestsOf(runs.stopped)).toEqual([]);
		expect(runs.regular.items.map((i) => [i.json.name, i.json.error])).toEqual([
			['Invoices', undefined],
			[undefined, message],
		]);
		expect(runs.errorOutput.items.map((i) => i.json.name)).toEqual(['Invoices']);
		expect(runs.errorOutput.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1 }, expect.objectContaining({ message, description: expect.stringMatching(description) })],
		]);
	});
});
