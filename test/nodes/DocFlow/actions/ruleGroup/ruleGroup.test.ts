import { runDocflow } from '../../../../harness/engine.ts';
import { useEmulator } from '../../../../harness/fixtures.ts';
import {
	WORKSPACE_ID,
	byId,
	credential,
	expectBadInput,
	fromList,
	jsonOf,
	parameters,
	pairedOf,
	repoAsDocflowHasIt,
	requestsTo,
	seedGroup,
	seedRepo,
	seedRepoWithRules,
	wire,
} from '../reviewTask/reviewFixtures.ts';

const env = useEmulator();
const groupParameters = (operation: string, extra: Record<string, unknown> = {}) => parameters('ruleGroup', operation, extra);

describe('Rule Group → Create', () => {
	test('creates it in the repository: the repository is read first (it must exist), repo_id as the spec’s integer', async () => {
		const repoId = await seedRepo(env.emulator);
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: groupParameters('create', { ruleRepository: fromList(repoId), name: '={{ $json.name }}' }),
			credentials: credential(env.emulator),
			items: [{ json: { name: 'Amounts' } }, { json: { name: 'Dates' } }],
		});
		expect(result.error).toBeUndefined();
		const sent = wire(env.emulator);
		const groups = (await repoAsDocflowHasIt(env.emulator, repoId)).groups as Array<{ group_id: string; name: string }>;
		expect(groups.map((g) => g.name)).toEqual(['Amounts', 'Dates']);
		expect(jsonOf(result.items)).toEqual([
			{ workspace_id: WORKSPACE_ID, repo_id: repoId, group_id: groups[0].group_id, name: 'Amounts' },
			{ workspace_id: WORKSPACE_ID, repo_id: repoId, group_id: groups[1].group_id, name: 'Dates' },
		]);
		expect(pairedOf(result.items)).toEqual([0, 1]);
		expect(sent).toEqual(['GET review/rule_repo/get', 'POST review/rule_group/create', 'GET review/rule_repo/get', 'POST review/rule_group/create']);
		expect(requestsTo(env.emulator, 'review/rule_group/create')[0].json).toEqual({ workspace_id: WORKSPACE_ID, repo_id: Number(repoId), name: 'Amounts' });
	});

	test('a lost answer: the new group is found by name in the repository, not created twice', async () => {
		const repoId = await seedRepo(env.emulator);
		const older = await seedGroup(env.emulator, repoId, 'Amounts');
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule_group/create', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: groupParameters('create', { ruleRepository: byId(repoId), name: 'Amounts' }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const sent = wire(env.emulator);
		const groups = (await repoAsDocflowHasIt(env.emulator, repoId)).groups as Array<{ group_id: string }>;
		expect(groups).toHaveLength(2);
		expect(result.items[0].json.group_id).toBe(groups.find((g) => g.group_id !== older)!.group_id);
		expect(sent).toEqual(['GET review/rule_repo/get', 'POST review/rule_group/create', 'GET review/rule_repo/get']);
	});
});

describe('Rule Group → Update and Delete', () => {
	test('Update renames it (a lost answer is sent again); Delete removes it with its rules (a lost answer is checked)', async () => {
		const { repoId, groupId } = await seedRepoWithRules(env.emulator, [{}, { name: 'Second' }]);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule_group/update', kind: 'reset-after' });
		const updated = await runDocflow({
			parameters: groupParameters('update', { ruleRepository: byId(repoId), ruleGroup: fromList(groupId), name: 'Totals' }),
			credentials: credential(env.emulator),
		});
		expect(jsonOf(updated.items)).toEqual([{ workspace_id: WORKSPACE_ID, repo_id: repoId, group_id: groupId, name: 'Totals', previous_name: 'Amounts' }]);
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get', 'POST review/rule_group/update', 'POST review/rule_group/update']);
		expect(requestsTo(env.emulator, 'review/rule_group/update')[1].json).toEqual({ workspace_id: WORKSPACE_ID, group_id: groupId, name: 'Totals' });

		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule_group/delete', kind: 'reset-after' });
		const deleted = await runDocflow({
			parameters: groupParameters('delete', { ruleRepository: byId(repoId), ruleGroup: byId(groupId) }),
			credentials: credential(env.emulator),
		});
		expect(jsonOf(deleted.items)).toEqual([
			{ workspace_id: WORKSPACE_ID, repo_id: repoId, group_id: groupId, name: 'Totals', deleted_rules: 2, deleted: true },
		]);
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get', 'POST review/rule_group/delete', 'GET review/rule_repo/get']);
		expect(requestsTo(env.emulator, 'review/rule_group/delete')[0].json).toEqual({ workspace_id: WORKSPACE_ID, group_id: groupId });
		expect((await repoAsDocflowHasIt(env.emulator, repoId)).groups).toEqual([]);
	});
});

describe('Rule Group: bad input, stopped or on its own output', () => {
	test.each(['update', 'delete'])('%s of a group that is not in the repository: the error lists its groups; nothing written', async (operation) => {
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const repoId = await seedRepo(emulator);
				const groupId = await seedGroup(emulator, repoId, 'Amounts');
				return {
					parameters: groupParameters(operation, { ruleRepository: byId(repoId), ruleGroup: byId('={{ $json.group }}'), name: 'New' }),
					items: [{ json: { group: '999' } }, { json: { group: groupId } }],
				};
			},
			bad: 0,
			message: /^Rule group 999 is not in rule repository \d+ \(“Invoice checks”\) \[item 0\]$/,
			description: /The repository’s groups: “Amounts” \(\d+\)/,
			writes: { endpoint: `review/rule_group/${operation}`, stopped: 0, continued: 1 },
		});
	});

	test('create in a repository that does not exist, with a name over 30 characters, or with an empty Rule Group', async () => {
		await expectBadInput(env.emulator, {
			setup: async (emulator) => ({
				parameters: groupParameters('create', { ruleRepository: byId('={{ $json.repo }}'), name: 'Amounts' }),
				items: [{ json: { repo: await seedRepo(emulator) } }, { json: { repo: '777' } }],
			}),
			bad: 1,
			message: /^Rule repository 777 was not found in workspace 1234567890 \(DocFlow code 40004, “规则库不存在”/,
			writes: { endpoint: 'review/rule_group/create', stopped: 1, continued: 1 },
		});
		await expectBadInput(env.emulator, {
			setup: async (emulator) => ({
				parameters: groupParameters('create', { ruleRepository: byId(await seedRepo(emulator)), name: '={{ $json.name }}' }),
				items: [{ json: { name: '金额'.repeat(16) } }, { json: { name: 'Fine' } }],
			}),
			bad: 0,
			message: /^Name is 32 characters long; DocFlow allows at most 30 \[item 0\]$/,
			upFront: true,
		});
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const repoId = await seedRepo(emulator);
				const groupId = await seedGroup(emulator, repoId);
				return {
					parameters: groupParameters('update', { ruleRepository: byId(repoId), ruleGroup: byId('={{ $json.group }}'), name: 'x' }),
					items: [{ json: { group: groupId } }, { json: { group: '' } }],
				};
			},
			bad: 1,
			message: /^Rule Group is empty \[item 1\]$/,
			upFront: true,
		});
	});
});
