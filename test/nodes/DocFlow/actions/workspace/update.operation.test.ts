import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, useEmulator, workspace } from '../../../../harness/fixtures.ts';
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

const updateParameters = (updateFields: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
	workspaceParameters('update', { workspace: workspace(), updateFields, ...extra });
const updates = () => requestsTo(env.emulator, 'workspace/update');
const invoices = () => env.emulator.workspaces.find((w) => w.workspace_id === WORKSPACE_ID)!;

/** The Invoices workspace with a callback and a description of its own. */
function configured() {
	Object.assign(invoices(), {
		description: 'Keep me',
		auth_scope: 0,
		callback_url: 'https://hooks.example.com/docflow',
		callback_retry_time: 2,
	});
}

describe('Workspace → Update', () => {
	test('changes only the field given: reads the workspace first and sends every other value back as it is', async () => {
		configured();
		const result = await runDocflow({ parameters: updateParameters({ name: 'Invoices 2025' }), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['GET workspace/get', 'POST workspace/update']);
		expect(updates()[0].headers['content-type']).toMatch(/^application\/json/);
		expect(updates()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			name: 'Invoices 2025',
			auth_scope: 0,
			description: 'Keep me',
			callback_url: 'https://hooks.example.com/docflow',
			callback_retry_time: 2,
		});
		const after = {
			workspace_id: WORKSPACE_ID,
			name: 'Invoices 2025',
			description: 'Keep me',
			auth_scope: 0,
			manage_account_id: 'admin_1001',
			manage_account_name: 'Demo Admin',
			callback_url: 'https://hooks.example.com/docflow',
			callback_retry_time: 2,
		};
		expect(result.items).toEqual([{ json: after, pairedItem: { item: 0 } }]);
		// DocFlow (whose update clears what is left out) kept everything else
		expect(invoices()).toMatchObject({ name: 'Invoices 2025', description: 'Keep me', auth_scope: 0, callback_url: 'https://hooks.example.com/docflow', callback_retry_time: 2 });
	});

	test('sets the callback URL and its retry count', async () => {
		const result = await runDocflow({
			parameters: updateParameters({ callbackUrl: ' https://n8n.example.com/webhook/docflow-done ', callbackRetryTime: 3 }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(updates()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			name: 'Invoices',
			auth_scope: 1,
			description: 'Invoices workspace (emulator)',
			callback_url: 'https://n8n.example.com/webhook/docflow-done',
			callback_retry_time: 3,
		});
		expect(result.items[0].json).toMatchObject({ callback_url: 'https://n8n.example.com/webhook/docflow-done', callback_retry_time: 3 });
		expect(invoices()).toMatchObject({ callback_url: 'https://n8n.example.com/webhook/docflow-done', callback_retry_time: 3 });
	});

	test('a retry count DocFlow reports outside the spec’s 1–3 (0: never set) is not sent back', async () => {
		const result = await runDocflow({ parameters: updateParameters({ authScope: 0 }), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(updates()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			name: 'Invoices',
			auth_scope: 0,
			description: 'Invoices workspace (emulator)',
			callback_url: '',
		});
		expect(invoices().auth_scope).toBe(0);
	});

	test('an empty Description or Callback URL clears it', async () => {
		configured();
		const result = await runDocflow({
			parameters: updateParameters({ description: '', callbackUrl: '' }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(updates()[0].json).toMatchObject({ description: '', callback_url: '', callback_retry_time: 2, auth_scope: 0, name: 'Invoices' });
		expect(invoices()).toMatchObject({ description: '', callback_url: '' });
	});

	test('every field at once, for several workspaces mapped from the input', async () => {
		const result = await runDocflow({
			parameters: workspaceParameters('update', {
				workspace: workspace('={{ $json.ws }}'),
				updateFields: {
					name: '={{ $json.name }}',
					description: 'Managed by n8n',
					authScope: 1,
					callbackUrl: 'https://example.com/cb',
					callbackRetryTime: 1,
				},
			}),
			credentials: credential(env.emulator),
			items: [
				{ json: { ws: WORKSPACE_ID, name: 'A' } },
				{ json: { ws: '2234567890', name: 'B' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(updates().map((r) => r.json)).toEqual(
			[
				[WORKSPACE_ID, 'A'],
				['2234567890', 'B'],
			].map(([workspace_id, name]) => ({
				workspace_id,
				name,
				auth_scope: 1,
				description: 'Managed by n8n',
				callback_url: 'https://example.com/cb',
				callback_retry_time: 1,
			})),
		);
		expect(result.items.map((i) => [i.json.workspace_id, i.json.name, i.pairedItem])).toEqual([
			[WORKSPACE_ID, 'A', { item: 0 }],
			['2234567890', 'B', { item: 1 }],
		]);
	});

	test('an update whose answer got lost is sent again as it was (setting the same values twice changes nothing)', async () => {
		env.emulator.injectFault({ path: 'workspace/update', kind: 'reset-after' });
		const result = await runDocflow({ parameters: updateParameters({ name: 'Renamed' }), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['GET workspace/get', 'POST workspace/update', 'POST workspace/update']);
		expect(updates()[1].json).toEqual(updates()[0].json);
		expect(invoices().name).toBe('Renamed');
		expect(result.items[0].json.name).toBe('Renamed');
	});
});

describe('Workspace → Update: bad input', () => {
	test.each([
		['an empty Name', { name: '={{ $json.name }}' }, { name: '' }, 'Name is empty [item 1]', /Set the workspace’s Name/],
		['a 51-character Name', { name: '={{ $json.name }}' }, { name: 'n'.repeat(51) }, 'Name is 51 characters long; DocFlow allows at most 50 [item 1]', /Shorten the name/],
		[
			'a 501-character Description',
			{ description: '={{ $json.text }}' },
			{ text: 'd'.repeat(501) },
			'Description is 501 characters long; DocFlow allows at most 500 [item 1]',
			/500 characters or fewer/,
		],
		[
			'a Callback URL that is not http(s)',
			{ callbackUrl: '={{ $json.url }}' },
			{ url: 'ftp://files.example.com/cb' },
			'Callback URL “ftp://files.example.com/cb” is not an http(s) address [item 1]',
			/Production URL/,
		],
		['a Callback URL without a scheme', { callbackUrl: '={{ $json.url }}' }, { url: 'example.com/cb' }, 'Callback URL “example.com/cb” is not an http(s) address [item 1]', /full address/],
		[
			'a Callback Retry Count of 5',
			{ callbackRetryTime: '={{ $json.retries }}' },
			{ retries: 5 },
			'Callback Retry Count must be a whole number from 1 to 3, not 5 [item 1]',
			/set a number in that range/,
		],
		[
			'a Callback Retry Count of 1.5',
			{ callbackRetryTime: '={{ $json.retries }}' },
			{ retries: 1.5 },
			'Callback Retry Count must be a whole number from 1 to 3, not 1.5 [item 1]',
			/1 to 3 times/,
		],
		['Visible To “everyone”', { authScope: '={{ $json.scope }}' }, { scope: 'everyone' }, 'Visible To must be “Only Me” (0) or “Enterprise Members” (1), not "everyone" [item 1]', /map 0/],
	])('%s: refused before any request', async (_label, fields, bad, message, description) => {
		const good = { name: 'Good', text: 'fine', url: 'https://example.com/cb', retries: 2, scope: 1 };
		const runs = await runBadInput(
			env.emulator,
			workspaceParameters('update', {
				workspace: workspace('={{ $json.ws }}'),
				// the good item sets the same fields, with good values
				updateFields: fields,
			}),
			[{ json: { ws: '2234567890', ...good } }, { json: { ws: WORKSPACE_ID, ...good, name: '', ...bad } }],
		);
		expect(runs.stopped.error?.message).toBe(message);
		expect(runs.stopped.error?.description).toMatch(description);
		expect(requestsOf(runs.stopped)).toEqual([]);
		expect(runs.regular.items.map((i) => [i.pairedItem, i.json.workspace_id, i.json.error])).toEqual([
			[{ item: 0 }, '2234567890', undefined],
			// refused while its parameters were read: the error is all the item has
			[{ item: 1 }, undefined, message],
		]);
		expect(runs.errorOutput.items.map((i) => i.json.workspace_id)).toEqual(['2234567890']);
		expect(runs.errorOutput.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1 }, expect.objectContaining({ message, description: expect.stringMatching(description) })],
		]);
		expect(requestsOf(runs.regular).filter((r) => r.path.endsWith('/workspace/update')).map((r) => (r.json as { workspace_id: string }).workspace_id)).toEqual([
			'2234567890',
		]);
	});

	test('no Update Fields at all: says what to add, nothing sent', async () => {
		const runs = await runBadInput(env.emulator, updateParameters({}), [{ json: {} }]);
		const message = 'Nothing to update: no field is set under Update Fields [item 0]';
		expect(runs.stopped.error?.message).toBe(message);
		expect(jsonOf(runs.regular.items)).toEqual([{ error: message, description: expect.stringMatching(/Add the fields to change/) }]);
		expect(runs.errorOutput.errorItems.map((i) => i.json.error)).toEqual([expect.objectContaining({ message })]);
		for (const run of [runs.stopped, runs.regular, runs.errorOutput]) expect(requestsOf(run)).toEqual([]);
	});

	test('an empty Workspace (mapped from an empty field): refused before any request', async () => {
		const runs = await runBadInput(env.emulator, updateParameters({ name: 'x' }, { workspace: workspace('={{ $json.ws }}') }), [
			{ json: { ws: '' } },
		]);
		expect(runs.stopped.error?.message).toBe('Workspace is empty [item 0]');
		expect(runs.regular.items.map((i) => i.json.error)).toEqual(['Workspace is empty [item 0]']);
		expect(runs.errorOutput.errorItems.map((i) => i.json.error)).toEqual([expect.objectContaining({ message: 'Workspace is empty [item 0]' })]);
		for (const run of [runs.stopped, runs.regular, runs.errorOutput]) expect(requestsOf(run)).toEqual([]);
	});

	test.each([
		['an unknown workspace', '404404'],
		['a workspace of another enterprise', OTHER_ENTERPRISE_WORKSPACE],
	])('%s: DocFlow’s 40004 when the node reads it; nothing is updated', async (_label, id) => {
		const runs = await runBadInput(
			env.emulator,
			updateParameters({ name: 'Renamed' }, { workspace: workspace('={{ $json.ws }}') }),
			[{ json: { ws: id } }, { json: { ws: WORKSPACE_ID } }],
		);
		const message = /^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”.*\[item 0\]$/;
		expect(runs.stopped.error?.message).toMatch(message);
		expect(requestsOf(runs.stopped).map((r) => r.path.split('/v2/')[1])).toEqual(['workspace/get']);
		expect(runs.regular.items.map((i) => [i.json.workspace_id, i.json.name ?? i.json.error])).toEqual([
			[id, expect.stringMatching(message)],
			[WORKSPACE_ID, 'Renamed'],
		]);
		expect(runs.errorOutput.errorItems.map((i) => i.json.error)).toEqual([
			expect.objectContaining({ message: expect.stringMatching(message), workspace_id: id, docflow_code: 40004 }),
		]);
		expect(requestsOf(runs.errorOutput).filter((r) => r.path.endsWith('/workspace/update')).map((r) => (r.json as { workspace_id: string }).workspace_id)).toEqual([
			WORKSPACE_ID,
		]);
		expect(env.emulator.workspaces.find((w) => w.workspace_id === OTHER_ENTERPRISE_WORKSPACE)?.name).toBe('Other enterprise');
	});
});
