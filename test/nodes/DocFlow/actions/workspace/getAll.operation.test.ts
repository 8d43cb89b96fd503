import { loadOptionsContext, runDocflow } from '../../../../harness/engine.ts';
import { ENTERPRISE_ID, WORKSPACE_ID, credentialFor, useEmulator } from '../../../../harness/fixtures.ts';
import { credential, jsonOf, requestsOf, requestsTo, runBadInput, workspaceParameters } from './helpers.ts';

const env = useEmulator();

const lists = () => requestsTo(env.emulator, 'workspace/list');

/** n more workspaces of enterprise 1001, straight into the emulator's state (reset() removes them). */
function addWorkspaces(n: number): string[] {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const id = String(7_000_000_000 + i);
		env.emulator.workspaces.push({ workspace_id: id, name: `Client ${String(i).padStart(3, '0')}`, enterprise_id: ENTERPRISE_ID, categories: [] });
		ids.push(id);
	}
	return ids;
}

describe('Workspace → Get Many', () => {
	test('lists the credential’s enterprise: one flat item per workspace (Limit 50 by default: one page of 50)', async () => {
		const result = await runDocflow({ parameters: workspaceParameters('getAll'), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(lists().map((r) => [r.method, r.query])).toEqual([['GET', { enterprise_id: ENTERPRISE_ID, page: '1', page_size: '50' }]]);
		expect(lists()[0].headers['x-ti-enterprise-id']).toBe(ENTERPRISE_ID);
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: WORKSPACE_ID,
					name: 'Invoices',
					description: 'Invoices workspace (emulator)',
					auth_scope: 1,
					manage_account_id: 'admin_1001',
					manage_account_name: 'Demo Admin',
					callback_url: '',
					callback_retry_time: 0,
				},
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ workspace_id: '2234567890', name: 'Contracts' }), pairedItem: { item: 0 } },
		]);
	});

	test('Return All follows page/page_size to the end (total 252: pages of 100, 100, 52)', async () => {
		const added = addWorkspaces(250);
		const result = await runDocflow({
			parameters: workspaceParameters('getAll', { returnAll: true }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(lists().map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
		expect(result.items.map((i) => i.json.workspace_id)).toEqual([WORKSPACE_ID, '2234567890', ...added]);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Limit stops where it is reached: 120 of 252 in two pages', async () => {
		addWorkspaces(250);
		const result = await runDocflow({
			parameters: workspaceParameters('getAll', { returnAll: false, limit: 120 }),
			credentials: credential(env.emulator),
		});
		expect(result.items).toHaveLength(120);
		expect(lists().map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '100'],
			['2', '100'],
		]);
		const small = await runDocflow({
			parameters: workspaceParameters('getAll', { limit: 1 }),
			credentials: credential(env.emulator),
		});
		expect(jsonOf(small.items).map((j) => j.name)).toEqual(['Invoices']);
		expect(lists().at(-1)?.query).toMatchObject({ page: '1', page_size: '1' });
	});

	test('Options → Enterprise ID instead of the credential’s; one list per input item', async () => {
		const result = await runDocflow({
			parameters: workspaceParameters('getAll', { options: { enterpriseId: '={{ $json.ent }}' } }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { ent: ENTERPRISE_ID } }, { json: { ent: ENTERPRISE_ID } }],
		});
		expect(result.error).toBeUndefined();
		expect(lists().map((r) => r.query.enterprise_id)).toEqual([ENTERPRISE_ID, ENTERPRISE_ID]);
		expect(result.items.map((i) => [i.json.name, i.pairedItem])).toEqual([
			['Invoices', { item: 0 }],
			['Contracts', { item: 0 }],
			['Invoices', { item: 1 }],
			['Contracts', { item: 1 }],
		]);
	});

	test('an enterprise without workspaces gives no items (and no error)', async () => {
		env.emulator.workspaces.splice(0, 2);
		const result = await runDocflow({ parameters: workspaceParameters('getAll', { returnAll: true }), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
		expect(lists()).toHaveLength(1);
	});

	test.each([
		['no Enterprise ID in the credential or the options', {}, { ent: '' }, 'Enterprise ID is empty [item 1]', /Set Enterprise ID in the DocFlow API credential/, false],
		['an Enterprise ID with letters', {}, { ent: 'ent-1' }, 'Enterprise ID “ent-1” (from Options → Enterprise ID) is not a number [item 1]', /digits only/, false],
		['a Limit of 0', { limit: '={{ $json.limit }}' }, { limit: 0 }, 'Limit must be a whole number of 1 or more, not 0 [item 1]', /turn on Return All/, false],
		['an enterprise the account does not belong to', {}, { ent: '2002' }, /^DocFlow refused access for this enterprise \(DocFlow code 40301, “no permission for this enterprise”.*\[item 1\]$/, /Check the Enterprise ID/, true],
	])('%s', async (_label, extra, bad, message, description, reachesDocflow) => {
		const runs = await runBadInput(
			env.emulator,
			workspaceParameters('getAll', { options: { enterpriseId: '={{ $json.ent }}' }, limit: 50, ...extra }),
			[{ json: { ent: ENTERPRISE_ID, limit: 50 } }, { json: { ent: ENTERPRISE_ID, limit: 50, ...bad } }],
			credentialFor(env.emulator),
		);
		const matches = typeof message === 'string' ? message : expect.stringMatching(message);
		expect(runs.stopped.error?.message).toEqual(matches);
		expect(runs.stopped.error?.description).toMatch(description);
		// checked before any request, unless only DocFlow can tell
		expect(requestsOf(runs.stopped).length).toBe(reachesDocflow ? 2 : 0);
		expect(runs.regular.items.map((i) => [i.pairedItem, i.json.name ?? i.json.error])).toEqual([
			[{ item: 0 }, 'Invoices'],
			[{ item: 0 }, 'Contracts'],
			[{ item: 1 }, matches],
		]);
		expect(runs.errorOutput.items.map((i) => i.json.name)).toEqual(['Invoices', 'Contracts']);
		expect(runs.errorOutput.errorItems.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 1 }, expect.objectContaining({ message: matches, description: expect.stringMatching(description) })],
		]);
	});
});

describe('Workspace picker (the locator’s From List)', () => {
	const search = async (filter?: string, token?: string, overrides: Record<string, unknown> = {}) => {
		const { context, nodeType } = await loadOptionsContext(
			{ resource: 'workspace', operation: 'get' },
			credential(env.emulator, overrides),
		);
		return await nodeType.methods.listSearch.searchWorkspaces.call(context, filter, token);
	};

	test('lists the enterprise’s workspaces, one created a moment ago included, page by page', async () => {
		const created = await runDocflow({ parameters: workspaceParameters('create', { name: 'Fresh Client' }), credentials: credential(env.emulator) });
		const freshId = created.items[0].json.workspace_id as string;
		addWorkspaces(60);
		env.emulator.clearRequests();

		const first = await search();
		expect(first.results).toHaveLength(50);
		expect(first.results.slice(0, 3)).toEqual([
			{ name: 'Invoices', value: WORKSPACE_ID, description: 'Invoices workspace (emulator)' },
			{ name: 'Contracts', value: '2234567890', description: 'Contracts workspace (emulator)' },
			{ name: 'Fresh Client', value: freshId, description: '' },
		]);
		expect(first.paginationToken).toBe('2');
		const second = await search(undefined, first.paginationToken);
		expect(second.results).toHaveLength(13);
		expect(second.paginationToken).toBeUndefined();
		expect(lists().map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '50'],
			['2', '50'],
		]);

		const filtered = await search('fresh');
		expect(filtered.results.map((r) => r.value)).toEqual([freshId]);
		// by ID: the whole ID (a part of a random ID may also occur in another workspace's ID)
		expect((await search(freshId)).results.map((r) => r.value)).toEqual([freshId]);
	});

	test('a deleted workspace is gone from the list', async () => {
		await runDocflow({
			parameters: workspaceParameters('delete', { workspace: { __rl: true, mode: 'list', value: '2234567890' } }),
			credentials: credential(env.emulator),
		});
		expect((await search()).results.map((r) => r.value)).toEqual([WORKSPACE_ID]);
	});

	test('without an Enterprise ID it says what to set, before any request', async () => {
		await expect(search(undefined, undefined, { enterpriseId: '' })).rejects.toThrow('Set Enterprise ID in the DocFlow credential to list workspaces');
		expect(env.emulator.requests).toEqual([]);
	});
});
