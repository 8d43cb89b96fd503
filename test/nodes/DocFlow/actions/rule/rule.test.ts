import { runDocflow } from '../../../../harness/engine.ts';
import { useEmulator } from '../../../../harness/fixtures.ts';
import {
	INVOICE_CATEGORY,
	RECEIPT_CATEGORY,
	WORKSPACE_ID,
	byId,
	credential,
	expectBadInput,
	fromList,
	jsonOf,
	parameters,
	repoAsDocflowHasIt,
	requestsTo,
	seedGroup,
	seedRepo,
	seedRepoWithRules,
	wire,
} from '../reviewTask/reviewFixtures.ts';

const env = useEmulator();
const ruleParameters = (operation: string, extra: Record<string, unknown> = {}) => parameters('rule', operation, extra);

const REFERENCED = [
	{
		category_id: INVOICE_CATEGORY,
		category_name: '发票',
		fields: [{ field_id: 'f-total', field_name: 'Total Amount' }],
		tables: [{ table_id: 't-goods', table_name: 'Goods Details', fields: [{ field_id: 'f-amount', field_name: 'Amount' }] }],
	},
];

describe('Rule → Create', () => {
	test('every field on the wire (categories, risk level, referenced fields), and in DocFlow', async () => {
		const repoId = await seedRepo(env.emulator);
		const groupId = await seedGroup(env.emulator, repoId);
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: ruleParameters('create', {
				ruleRepository: fromList(repoId),
				ruleGroup: fromList(groupId),
				name: 'Amount in range',
				prompt: 'The total amount is above 0 and below 1,000,000',
				additionalFields: {
					categoryIds: [INVOICE_CATEGORY],
					riskLevel: 20,
					referencedFields: JSON.stringify(REFERENCED),
				},
			}),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const body = {
			group_id: groupId,
			name: 'Amount in range',
			prompt: 'The total amount is above 0 and below 1,000,000',
			category_ids: [INVOICE_CATEGORY],
			risk_level: 20,
			referenced_fields: REFERENCED,
		};
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get', 'POST review/rule/create']);
		expect(requestsTo(env.emulator, 'review/rule/create')[0].json).toEqual({ workspace_id: WORKSPACE_ID, repo_id: Number(repoId), ...body });
		const rules = (await repoAsDocflowHasIt(env.emulator, repoId)).groups[0].rules;
		const { group_id: _inGroup, ...asListed } = body;
		expect(rules).toEqual([{ rule_id: result.items[0].json.rule_id, ...asListed }]);
		expect(jsonOf(result.items)).toEqual([{ workspace_id: WORKSPACE_ID, repo_id: repoId, rule_id: rules[0].rule_id, ...body }]);
	});

	test('only name and prompt: nothing else is sent; a lost answer finds the rule by name in its group', async () => {
		const repoId = await seedRepo(env.emulator);
		const groupId = await seedGroup(env.emulator, repoId);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule/create', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: ruleParameters('create', { ruleRepository: byId(repoId), ruleGroup: byId(groupId), name: 'Seller', prompt: 'A seller is named' }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get', 'POST review/rule/create', 'GET review/rule_repo/get']);
		expect(requestsTo(env.emulator, 'review/rule/create')[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			repo_id: Number(repoId),
			group_id: groupId,
			name: 'Seller',
			prompt: 'A seller is named',
		});
		const rules = (await repoAsDocflowHasIt(env.emulator, repoId)).groups[0].rules;
		expect(rules).toHaveLength(1);
		expect(result.items[0].json.rule_id).toBe(rules[0].rule_id);
	});
});

describe('Rule → Update and Delete', () => {
	test('Update sends the whole rule, changes applied (and moves it to another group); a lost answer is sent again', async () => {
		const { repoId, groupId, ruleIds } = await seedRepoWithRules(env.emulator, [
			{ name: 'Amount', prompt: 'Above 0', risk_level: 10, category_ids: [INVOICE_CATEGORY], referenced_fields: REFERENCED },
		]);
		const target = await seedGroup(env.emulator, repoId, 'Receipts');
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule/update', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: ruleParameters('update', {
				ruleRepository: byId(repoId),
				rule: fromList(ruleIds[0]),
				updateFields: { prompt: 'Above 10', categoryIds: `${RECEIPT_CATEGORY}`, groupId: target },
			}),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const body = {
			workspace_id: WORKSPACE_ID,
			rule_id: ruleIds[0],
			group_id: target,
			name: 'Amount',
			prompt: 'Above 10',
			category_ids: [RECEIPT_CATEGORY],
			risk_level: 10,
			referenced_fields: REFERENCED,
		};
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get', 'POST review/rule/update', 'POST review/rule/update']);
		expect(requestsTo(env.emulator, 'review/rule/update').map((r) => r.json)).toEqual([body, body]);
		expect(jsonOf(result.items)).toEqual([{ repo_id: repoId, ...body }]);
		const groups = (await repoAsDocflowHasIt(env.emulator, repoId)).groups;
		expect(groups.map((g: { group_id: string; rules: unknown[] }) => [g.group_id, g.rules.length])).toEqual([
			[groupId, 0],
			[target, 1],
		]);
		expect(groups[1].rules[0]).toMatchObject({ prompt: 'Above 10', category_ids: [RECEIPT_CATEGORY], risk_level: 10 });
	});

	test('Update of name, risk level and referenced fields; the group stays', async () => {
		const { repoId, groupId, ruleIds } = await seedRepoWithRules(env.emulator, [{ name: 'Amount', prompt: 'Above 0' }]);
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: ruleParameters('update', {
				ruleRepository: byId(repoId),
				rule: byId(ruleIds[0]),
				updateFields: { name: 'Total amount', riskLevel: 30, referencedFields: REFERENCED },
			}),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(env.emulator, 'review/rule/update')[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			rule_id: ruleIds[0],
			group_id: groupId,
			name: 'Total amount',
			prompt: 'Above 0',
			category_ids: [],
			risk_level: 30,
			referenced_fields: REFERENCED,
		});
		expect((await repoAsDocflowHasIt(env.emulator, repoId)).groups[0].rules[0]).toEqual({
			rule_id: ruleIds[0],
			name: 'Total amount',
			prompt: 'Above 0',
			category_ids: [],
			risk_level: 30,
			referenced_fields: REFERENCED,
		});
	});

	test('Delete removes it; a lost answer is checked in the repository', async () => {
		const { repoId, groupId, ruleIds } = await seedRepoWithRules(env.emulator, [{ name: 'A' }, { name: 'B' }]);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/rule/delete', kind: 'reset-before' });
		const result = await runDocflow({
			parameters: ruleParameters('delete', { ruleRepository: byId(repoId), rule: byId(ruleIds[0]) }),
			credentials: credential(env.emulator),
		});
		expect(jsonOf(result.items)).toEqual([{ workspace_id: WORKSPACE_ID, repo_id: repoId, group_id: groupId, rule_id: ruleIds[0], name: 'A', deleted: true }]);
		expect(wire(env.emulator)).toEqual(['GET review/rule_repo/get', 'POST review/rule/delete', 'GET review/rule_repo/get', 'POST review/rule/delete']);
		expect(requestsTo(env.emulator, 'review/rule/delete')[1].json).toEqual({ workspace_id: WORKSPACE_ID, rule_id: ruleIds[0] });
		expect((await repoAsDocflowHasIt(env.emulator, repoId)).groups[0].rules.map((r: { name: string }) => r.name)).toEqual(['B']);
	});
});

describe('Rule: bad input, stopped or on its own output', () => {
	const createWith = (extra: Record<string, unknown>) => async (emulator: typeof env.emulator) => {
		const repoId = await seedRepo(emulator);
		const groupId = await seedGroup(emulator, repoId);
		return {
			parameters: ruleParameters('create', { ruleRepository: byId(repoId), ruleGroup: byId(groupId), name: 'R', prompt: 'p', ...extra }),
			items: [{ json: { refs: 'not json', cats: ['1'] } }, { json: { refs: '[]', cats: [INVOICE_CATEGORY] } }],
		};
	};

	test.each([
		['an empty prompt', { prompt: '={{ $json.refs === "[]" ? "p" : "" }}' }, /^Prompt is empty \[item 0\]$/],
		['referenced fields that are not JSON', { additionalFields: { referencedFields: '={{ $json.refs }}' } }, /^Referenced Fields is not valid JSON: .+ \[item 0\]$/],
		[
			'referenced fields without a category_id',
			{ additionalFields: { referencedFields: '={{ $json.refs === "[]" ? "[]" : JSON.stringify([{ fields: [] }]) }}' } },
			/^Referenced Fields: \[0\]\.category_id is missing \[item 0\]$/,
		],
		[
			'a referenced table field without its field_id',
			{
				additionalFields: {
					referencedFields: '={{ $json.refs === "[]" ? "[]" : JSON.stringify([{ category_id: "c", tables: [{ table_id: "t", fields: [{ field_name: "x" }] }] }]) }}',
				},
			},
			/^Referenced Fields: \[0\]\.tables\[0\]\.fields\[0\]\.field_id is missing \[item 0\]$/,
		],
	])('Create with %s: refused before any request', async (_what, extra, message) => {
		await expectBadInput(env.emulator, { setup: createWith(extra), bad: 0, message, upFront: true });
	});

	test('Create with a category the workspace does not have: DocFlow’s own refusal, on that item only', async () => {
		await expectBadInput(env.emulator, {
			setup: createWith({ additionalFields: { categoryIds: '={{ $json.cats }}' } }),
			bad: 0,
			message: /^DocFlow refused the request to review\/rule\/create \(DocFlow code 40004, “category does not exist: 1”/,
			writes: { endpoint: 'review/rule/create', stopped: 1, continued: 2 },
		});
	});

	test('Update with nothing to update, and of a rule that is not in the repository', async () => {
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const { repoId, ruleIds } = await seedRepoWithRules(emulator);
				return {
					parameters: ruleParameters('update', { ruleRepository: byId(repoId), rule: byId(ruleIds[0]), updateFields: {} }),
					items: [{ json: {} }],
				};
			},
			bad: 0,
			message: /^Nothing to update: add a field under Update Fields \[item 0\]$/,
			upFront: true,
		});
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const { repoId, ruleIds } = await seedRepoWithRules(emulator);
				return {
					parameters: ruleParameters('update', { ruleRepository: byId(repoId), rule: byId(ruleIds[0]), updateFields: { name: '={{ $json.name }}' } }),
					items: [{ json: { name: 'Renamed' } }, { json: { name: ' ' } }],
				};
			},
			bad: 1,
			message: /^Name is empty \[item 1\]$/,
			upFront: true,
		});
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const { repoId, ruleIds } = await seedRepoWithRules(emulator);
				return {
					parameters: ruleParameters('update', { ruleRepository: byId(repoId), rule: byId('={{ $json.rule }}'), updateFields: { riskLevel: 30 } }),
					items: [{ json: { rule: '31415926' } }, { json: { rule: ruleIds[0] } }],
				};
			},
			bad: 0,
			message: /^Rule 31415926 is not in rule repository \d+ \(“Invoice checks”\) \[item 0\]$/,
			description: /Pick the rule From List/,
			writes: { endpoint: 'review/rule/update', stopped: 0, continued: 1 },
		});
	});

	test('Update moving the rule to a group of another repository; Delete of a rule already deleted', async () => {
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const { repoId, ruleIds } = await seedRepoWithRules(emulator);
				const elsewhere = await seedGroup(emulator, await seedRepo(emulator, 'Other'), 'Elsewhere');
				return {
					parameters: ruleParameters('update', { ruleRepository: byId(repoId), rule: byId(ruleIds[0]), updateFields: { groupId: '={{ $json.group }}' } }),
					items: [{ json: { group: elsewhere } }],
				};
			},
			bad: 0,
			message: /^Rule group \d+ is not in rule repository \d+ \(“Invoice checks”\) \[item 0\]$/,
			writes: { endpoint: 'review/rule/update', stopped: 0, continued: 0 },
		});
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const { repoId, ruleIds } = await seedRepoWithRules(emulator, [{ name: 'A' }, { name: 'B' }]);
				return {
					parameters: ruleParameters('delete', { ruleRepository: byId(repoId), rule: byId('={{ $json.rule }}') }),
					items: [{ json: { rule: ruleIds[0] } }, { json: { rule: ruleIds[0] } }, { json: { rule: ruleIds[1] } }],
				};
			},
			bad: 1,
			message: /^Rule \d+ is not in rule repository \d+ \(“Invoice checks”\) \[item 1\]$/,
			writes: { endpoint: 'review/rule/delete', stopped: 1, continued: 2 },
		});
	});
});
