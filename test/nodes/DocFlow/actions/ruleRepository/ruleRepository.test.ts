import { runDocflow } from '../../../../harness/engine.ts';
import { useEmulator } from '../../../../harness/fixtures.ts';
import {
	INVOICE_CATEGORY,
	WORKSPACE_ID,
	byId,
	credential,
	expectBadInput,
	fromList,
	jsonOf,
	parameters,
	pairedOf,
	repoAsDocflowHasIt,
	reposAsDocflowHasThem,
	requestsTo,
	seedRepo,
	seedRepoWithRules,
	wire,
} from '../reviewTask/reviewFixtures.ts';

const env = useEmulator();
const repoParameters = (operation: string, extra: Record<string, unknown> = {}) => parameters('ruleRepository', operation, extra);

describe('Rule Repository → Create', () => {
	test('creates it: the list is read first (to recognise it after a lost answer), then one create; repo_id as text', async () => {
		const result = await runDocflow({
			parameters: repoParameters('create', { name: '={{ $json.name }}' }),
			credentials: credential(env.emulator),
			items: [{ json: { name: 'Invoice checks' } }, { json: { name: ' Contract checks ' } }],
		});
		expect(result.error).toBeUndefined();
		const sent = wire(env.emulator);
		const repos = await reposAsDocflowHasThem(env.emulator);
		expect(repos.map((r) => r.name)).toEqual(['Invoice checks', 'Contract checks']);
		expect(jsonOf(result.items)).toEqual([
			{ workspace_id: WORKSPACE_ID, repo_id: repos[0].repo_id, name: 'Invoice checks' },
			{ workspace_id: WORKSPACE_ID, repo_id: repos[1].repo_id, name: 'Contract checks' },
		]);
		expect(pairedOf(result.items)).toEqual([0, 1]);
		expect(sent).toEqual([
			'GET review/rule_repo/list',
			'POST review/rule_repo/create',
			'GET review/rule_repo/list',
			'POST review/rule_repo/create',
		]);
		expect(env.emulator.requests[0].query).toEqual({ workspace_id: WORKSPACE_ID, page: '1', page_size: '50' });
		expect(requestsTo(env.emulator, 'review/rule_repo/create').map((r) => r.json)).toEqual([
			{ workspace_id: WORKSPACE_ID, name: 'Invoice checks' },
			{ workspace_id: WORKSPACE_ID, name: 'Contract checks' },
		]);
		expect(env.emulator.requests.every((r) => r.auth.valid)).toBe(true);
	});

	test('a lost answer after DocFlow created it: recognised by name (a same-named older one is not mistaken for it), never created twice', async () => {
		const older = await seedRepo(env.emulator, 'Invoice checks');
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule_repo/create', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: repoParameters('create', { name: 'Invoice checks' }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const sent = wire(env.emulator);
		const repos = await reposAsDocflowHasThem(env.emulator);
		expect(repos).toHaveLength(2);
		const created = repos.find((r) => r.repo_id !== older)!;
		expect(jsonOf(result.items)).toEqual([{ workspace_id: WORKSPACE_ID, repo_id: created.repo_id, name: 'Invoice checks' }]);
		expect(sent).toEqual(['GET review/rule_repo/list', 'POST review/rule_repo/create', 'GET review/rule_repo/list']);
	});

	test('a lost answer before DocFlow took it: not in the list, so sent again, once', async () => {
		env.emulator.injectFault({ path: 'review/rule_repo/create', kind: 'reset-before' });
		const result = await runDocflow({
			parameters: repoParameters('create', { name: 'Invoice checks' }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const sent = wire(env.emulator);
		const repos = await reposAsDocflowHasThem(env.emulator);
		expect(repos).toHaveLength(1);
		expect(result.items[0].json.repo_id).toBe(repos[0].repo_id);
		expect(sent).toEqual([
			'GET review/rule_repo/list',
			'POST review/rule_repo/create',
			'GET review/rule_repo/list',
			'POST review/rule_repo/create',
		]);
	});

	test('two items creating one name at once, both answers lost: neither guesses nor resends — “may have been created”', async () => {
		env.emulator.injectFault({ path: 'review/rule_repo/create', kind: 'reset-after', times: 2 });
		const result = await runDocflow({
			parameters: repoParameters('create', { name: 'Twins', options: { batching: { batch: { itemsPerBatch: 2 } } } }),
			credentials: credential(env.emulator),
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.items)).toEqual([0, 1].map((item) => ({
			workspace_id: WORKSPACE_ID,
			name: 'Twins',
			error: `Rule repository “Twins” may have been created — check the rule repositories of workspace ${WORKSPACE_ID} [item ${item}]`,
			// whichever looks first sees the other still sending; the second then sees two new ones
			description: expect.stringMatching(/another item of this run was creating one of the same name at the same moment|DocFlow now shows 2 new ones of this name/),
		})));
		expect(requestsTo(env.emulator, 'review/rule_repo/create')).toHaveLength(2);
		expect(await reposAsDocflowHasThem(env.emulator)).toHaveLength(2);
	});
});

describe('Rule Repository → Create: a repo_id JavaScript cannot hold exactly', () => {
	const bigAnswer = {
		kind: 'status' as const,
		status: 200,
		contentType: 'application/json',
		// the spec's integer, above 2^53: JSON.parse has already rounded it when the node sees it
		body: '{"code":200,"msg":"success","result":{"repo_id":1900000000000000123}}',
	};

	test('is not used rounded: the new repository is found by name in the list', async () => {
		// DocFlow has the new repository by the time the node looks (the list before the create
		// answered empty), and answers its ID as a number too large to be exact.
		const created = await seedRepo(env.emulator, 'Big IDs');
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule_repo/list', kind: 'status', status: 200, contentType: 'application/json', body: '{"code":200,"msg":"success","result":{"repos":[],"total":0,"page":1,"page_size":50}}' });
		env.emulator.injectFault({ path: 'review/rule_repo/create', ...bigAnswer });
		const result = await runDocflow({ parameters: repoParameters('create', { name: 'Big IDs' }), credentials: credential(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.items)).toEqual([{ workspace_id: WORKSPACE_ID, repo_id: created, name: 'Big IDs' }]);
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/list', 'POST review/rule_repo/create', 'GET review/rule_repo/list']);
	});

	test('and when the list cannot pin it down, the item says so instead of guessing', async () => {
		env.emulator.injectFault({ path: 'review/rule_repo/create', ...bigAnswer });
		const result = await runDocflow({ parameters: repoParameters('create', { name: 'Big IDs' }), credentials: credential(env.emulator) });
		expect(result.error?.message).toBe(`Rule repository “Big IDs” may have been created — check the rule repositories of workspace ${WORKSPACE_ID} [item 0]`);
		expect(result.error?.description).toMatch(/answered without an exact ID \(1900000000000000000\) and shows 0 new ones of this name/);
		expect(requestsTo(env.emulator, 'review/rule_repo/create')).toHaveLength(1);
	});
});

describe('Rule Repository → Get and Get Many', () => {
	test('Get: simplified (rules in one list, risk as a word) or as DocFlow sends it', async () => {
		const { repoId, groupId, ruleIds } = await seedRepoWithRules(env.emulator, [
			{ name: 'Amount', prompt: 'Total above 0', risk_level: 10, category_ids: [INVOICE_CATEGORY] },
			{ name: 'Seller', prompt: 'Seller named' },
		]);
		env.emulator.clearRequests();
		const simplified = await runDocflow({
			parameters: repoParameters('get', { ruleRepository: fromList(repoId) }),
			credentials: credential(env.emulator),
		});
		expect(jsonOf(simplified.items)).toEqual([
			{
				workspace_id: WORKSPACE_ID,
				repo_id: repoId,
				name: 'Invoice checks',
				category_ids: [INVOICE_CATEGORY],
				group_count: 1,
				rule_count: 2,
				groups: [{ group_id: groupId, name: 'Amounts' }],
				rules: [
					{ group_id: groupId, group_name: 'Amounts', rule_id: ruleIds[0], rule_name: 'Amount', prompt: 'Total above 0', risk_level: 'high', category_ids: [INVOICE_CATEGORY] },
					{ group_id: groupId, group_name: 'Amounts', rule_id: ruleIds[1], rule_name: 'Seller', prompt: 'Seller named', risk_level: null, category_ids: [] },
				],
			},
		]);
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get']);
		expect(env.emulator.requests[0].query).toEqual({ workspace_id: WORKSPACE_ID, repo_id: repoId });

		const raw = await runDocflow({
			parameters: repoParameters('get', { ruleRepository: byId(repoId), simplify: false }),
			credentials: credential(env.emulator),
		});
		expect(raw.items[0].json).toEqual(await repoAsDocflowHasIt(env.emulator, repoId));
	});

	test('Get Many: Return All follows page/page_size to the end; Limit asks for no more than it needs', async () => {
		for (let i = 0; i < 57; i++) await seedRepo(env.emulator, `Repo ${i}`);
		env.emulator.clearRequests();
		const all = await runDocflow({ parameters: repoParameters('getAll', { returnAll: true }), credentials: credential(env.emulator) });
		expect(all.items.map((i) => i.json.name)).toEqual(Array.from({ length: 57 }, (_, i) => `Repo ${i}`));
		expect(env.emulator.requests.map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '50'],
			['2', '50'],
		]);
		expect(all.items[0].json).toMatchObject({ workspace_id: WORKSPACE_ID, group_count: 0, rule_count: 0, rules: [] });

		env.emulator.clearRequests();
		const limited = await runDocflow({
			parameters: repoParameters('getAll', { returnAll: false, limit: 7, simplify: false }),
			credentials: credential(env.emulator),
		});
		expect(limited.items).toHaveLength(7);
		expect(Object.keys(limited.items[0].json).sort()).toEqual(['category_ids', 'groups', 'name', 'repo_id']);
		expect(env.emulator.requests.map((r) => [r.query.page, r.query.page_size])).toEqual([['1', '7']]);
		expect(pairedOf(limited.items).every((p) => p === 0)).toBe(true);
	});
});

describe('Rule Repository → Update and Delete', () => {
	test('Update renames it; repo_id goes out as the integer the spec asks for; a lost answer is simply sent again', async () => {
		const repoId = await seedRepo(env.emulator, 'Old name');
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule_repo/update', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: repoParameters('update', { ruleRepository: byId(repoId), name: 'New name' }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.items)).toEqual([{ workspace_id: WORKSPACE_ID, repo_id: repoId, name: 'New name', previous_name: 'Old name' }]);
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get', 'POST review/rule_repo/update', 'POST review/rule_repo/update']);
		expect(requestsTo(env.emulator, 'review/rule_repo/update')[1].json).toEqual({ workspace_id: WORKSPACE_ID, repo_id: Number(repoId), name: 'New name' });
		expect((await repoAsDocflowHasIt(env.emulator, repoId)).name).toBe('New name');
	});

	test('Delete: gone afterwards; a lost answer is checked in the list (gone: done, still there: sent again)', async () => {
		const [a, b] = [await seedRepo(env.emulator, 'A'), await seedRepo(env.emulator, 'B')];
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule_repo/delete', kind: 'reset-after' });
		env.emulator.injectFault({ path: 'review/rule_repo/delete', kind: 'reset-before' });
		const result = await runDocflow({
			parameters: repoParameters('delete', { ruleRepository: byId('={{ $json.repo }}') }),
			credentials: credential(env.emulator),
			items: [{ json: { repo: a } }, { json: { repo: b } }],
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.items)).toEqual([
			{ workspace_id: WORKSPACE_ID, repo_id: a, name: 'A', deleted: true },
			{ workspace_id: WORKSPACE_ID, repo_id: b, name: 'B', deleted: true },
		]);
		const sent = wire(env.emulator);
		expect(await reposAsDocflowHasThem(env.emulator)).toEqual([]);
		expect(sent).toEqual([
			// a: deleted, answer lost, the list no longer has it
			'GET review/rule_repo/get',
			'POST review/rule_repo/delete',
			'GET review/rule_repo/list',
			// b: lost before DocFlow took it, the list still has it, sent again
			'GET review/rule_repo/get',
			'POST review/rule_repo/delete',
			'GET review/rule_repo/list',
			'POST review/rule_repo/delete',
		]);
		expect(requestsTo(env.emulator, 'review/rule_repo/delete')[0].json).toEqual({ workspace_id: WORKSPACE_ID, repo_ids: [Number(a)] });
	});
});

describe('Rule Repository: bad input, stopped or on its own output', () => {
	const twoRepos = async (emulator: typeof env.emulator) => [await seedRepo(emulator, 'A'), await seedRepo(emulator, 'B')];

	test.each([
		['a name over 30 characters', 'x'.repeat(31), /^Name is 31 characters long; DocFlow allows at most 30 \[item 0\]$/],
		['an empty name', '  ', /^Name is empty \[item 0\]$/],
	])('Create with %s: refused before any request', async (_what, badName, message) => {
		await expectBadInput(env.emulator, {
			setup: async () => ({
				parameters: repoParameters('create', { name: '={{ $json.name }}' }),
				items: [{ json: { name: badName } }, { json: { name: 'Fine' } }],
			}),
			bad: 0,
			message,
			upFront: true,
		});
	});

	test.each(['get', 'update', 'delete'])('%s of a rule repository that does not exist: named, with DocFlow’s code, nothing written', async (operation) => {
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const [, b] = await twoRepos(emulator);
				return {
					parameters: repoParameters(operation, { ruleRepository: byId('={{ $json.repo }}'), name: 'Renamed' }),
					items: [{ json: { repo: b } }, { json: { repo: '424242' } }],
				};
			},
			bad: 1,
			message: new RegExp(`^Rule repository 424242 was not found in workspace ${WORKSPACE_ID} \\(DocFlow code 40004, “规则库不存在”, trace ID [0-9a-f]+\\) \\[item 1\\]$`),
			description: /Rule Repository → Get Many lists every repository/,
			writes: operation === 'get' ? undefined : { endpoint: `review/rule_repo/${operation}`, stopped: 1, continued: 1 },
		});
	});

	test('a Rule Repository ID that is not digits, and a workspace DocFlow does not know', async () => {
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const [a] = await twoRepos(emulator);
				return { parameters: repoParameters('get', { ruleRepository: byId('={{ $json.repo }}') }), items: [{ json: { repo: a } }, { json: { repo: 'invoice-checks' } }] };
			},
			bad: 1,
			message: /^Rule Repository ID must be digits, but it is “invoice-checks” \[item 1\]$/,
			upFront: true,
		});
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				await seedRepo(emulator);
				return {
					parameters: repoParameters('getAll', { workspace: byId('={{ $json.ws }}'), returnAll: true }),
					items: [{ json: { ws: '404404' } }, { json: { ws: WORKSPACE_ID } }],
				};
			},
			bad: 0,
			message: /^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”/,
			description: /More Actions → Settings/,
		});
	});
});
