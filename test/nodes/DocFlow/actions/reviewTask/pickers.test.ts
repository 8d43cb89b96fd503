// The review resources' pickers, as the editor calls them: every locator's “From List” and the
// option lists (rule categories, the group to move a rule to).
import { loadOptionsContext } from '../../../../harness/engine.ts';
import { useEmulator } from '../../../../harness/fixtures.ts';
import {
	INVOICE_CATEGORY,
	RECEIPT_CATEGORY,
	WORKSPACE_ID,
	byId,
	credential,
	seedExtracted,
	seedGroup,
	seedRepo,
	seedRepoWithRules,
	seedReview,
	seedRule,
	workspace,
} from './reviewFixtures.ts';

const env = useEmulator();

async function picker(parameters: Record<string, unknown>, path: string) {
	const { context, nodeType } = await loadOptionsContext(parameters as never, credential(env.emulator), path);
	return { context, methods: nodeType.methods };
}

describe('Rule Repository, Rule Group and Rule pickers', () => {
	test('Rule Repository “From List”: page by page (rule_repo/list), searchable by name or ID, with what each holds', async () => {
		for (let i = 0; i < 52; i++) await seedRepo(env.emulator, i === 51 ? 'Contract checks' : `Invoice checks ${i}`);
		const { repoId } = await seedRepoWithRules(env.emulator, [{}, { name: 'Second' }], 'Receipts');
		env.emulator.clearRequests();
		const { context, methods } = await picker({ resource: 'reviewTask', operation: 'submit', workspace: workspace() }, 'parameters.ruleRepository');
		const first = await methods.listSearch.searchRuleRepositories.call(context);
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({ name: 'Invoice checks 0', value: expect.stringMatching(/^\d+$/), description: '0 groups, 0 rules' });
		expect(first.paginationToken).toBe('2');
		const second = await methods.listSearch.searchRuleRepositories.call(context, undefined, first.paginationToken);
		expect(second.results.map((r) => r.name)).toEqual(['Invoice checks 50', 'Contract checks', 'Receipts']);
		expect(second.results[2]).toEqual({ name: 'Receipts', value: repoId, description: '1 group, 2 rules' });
		expect(second.paginationToken).toBeUndefined();
		expect(env.emulator.requests.map((r) => r.query)).toEqual([
			{ workspace_id: WORKSPACE_ID, page: '1', page_size: '50' },
			{ workspace_id: WORKSPACE_ID, page: '2', page_size: '50' },
		]);
		const searched = await methods.listSearch.searchRuleRepositories.call(context, 'RECEIPT', '2');
		expect(searched.results.map((r) => r.value)).toEqual([repoId]);
		expect((await methods.listSearch.searchRuleRepositories.call(context, repoId, '2')).results.map((r) => r.name)).toEqual(['Receipts']);
	});

	test('Rule Group and Rule “From List”: the chosen repository’s groups, and every rule with its group and risk', async () => {
		const repoId = await seedRepo(env.emulator);
		const amounts = await seedGroup(env.emulator, repoId, 'Amounts');
		const dates = await seedGroup(env.emulator, repoId, 'Dates');
		const total = await seedRule(env.emulator, repoId, amounts, { name: 'Total', risk_level: 10 });
		const due = await seedRule(env.emulator, repoId, dates, { name: 'Due date' });
		env.emulator.clearRequests();
		const parameters = { resource: 'rule', operation: 'update', workspace: workspace(), ruleRepository: byId(repoId) };
		const groups = await picker(parameters, 'parameters.ruleGroup');
		expect((await groups.methods.listSearch.searchRuleGroups.call(groups.context)).results).toEqual([
			{ name: 'Amounts', value: amounts, description: '1 rule' },
			{ name: 'Dates', value: dates, description: '1 rule' },
		]);
		expect((await groups.methods.listSearch.searchRuleGroups.call(groups.context, 'dat')).results.map((r) => r.value)).toEqual([dates]);
		expect(env.emulator.requests[0].query).toEqual({ workspace_id: WORKSPACE_ID, repo_id: repoId });

		const rules = await picker(parameters, 'parameters.rule');
		expect((await rules.methods.listSearch.searchRules.call(rules.context)).results).toEqual([
			{ name: 'Total', value: total, description: 'Group: Amounts · High Risk' },
			{ name: 'Due date', value: due, description: 'Group: Dates' },
		]);
		// a rule is also found by its group's name
		expect((await rules.methods.listSearch.searchRules.call(rules.context, 'dates')).results.map((r) => r.value)).toEqual([due]);

		const move = await picker(parameters, 'parameters.updateFields.groupId');
		expect(await move.methods.loadOptions.getRuleGroups.call(move.context)).toEqual([
			{ name: 'Amounts', value: amounts },
			{ name: 'Dates', value: dates },
		]);
	});

	test('a rule’s categories: the workspace’s enabled categories, by ID', async () => {
		const { context, methods } = await picker({ resource: 'rule', operation: 'create', workspace: workspace() }, 'parameters.additionalFields.categoryIds');
		const options = await methods.loadOptions.getReviewCategories.call(context);
		expect(options.map((o) => [o.name, o.value])).toEqual([
			['发票', INVOICE_CATEGORY],
			['receipt', RECEIPT_CATEGORY],
			['contract', '1900000000000000003'],
		]);
		expect(env.emulator.requests[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, enabled: '1' });
	});

	test('without a workspace or a repository chosen (or given by an expression), the picker says what to choose', async () => {
		const noWorkspace = await picker({ resource: 'ruleGroup', operation: 'update', workspace: byId('') }, 'parameters.ruleRepository');
		await expect(noWorkspace.methods.listSearch.searchRuleRepositories.call(noWorkspace.context)).rejects.toThrow('Choose a workspace first');
		const expression = await picker(
			{ resource: 'ruleGroup', operation: 'update', workspace: workspace(), ruleRepository: byId('={{ $json.repo }}') },
			'parameters.ruleGroup',
		);
		await expect(expression.methods.listSearch.searchRuleGroups.call(expression.context)).rejects.toThrow('Choose a rule repository first');
		expect(env.emulator.requests).toEqual([]);
	});
});

describe('Retry Rule’s picker', () => {
	test('the rules the review task reviewed, with their verdicts (review/task/result)', async () => {
		const { repoId, ruleIds } = await seedRepoWithRules(env.emulator, [
			{ name: 'Flaky', prompt: 'will fail once' },
			{ name: 'Receipts', prompt: 'p', category_ids: [RECEIPT_CATEGORY] },
			{ name: 'Fine', prompt: 'ok' },
		]);
		const docs = await seedExtracted(env.emulator, ['invoice-1.pdf']);
		const taskId = await seedReview(env.emulator, repoId, docs.taskIds);
		env.emulator.advance(1000);
		env.emulator.clearRequests();
		const { context, methods } = await picker(
			{ resource: 'reviewTask', operation: 'retryRule', workspace: workspace(), reviewTaskId: taskId },
			'parameters.rule',
		);
		expect((await methods.listSearch.searchReviewTaskRules.call(context)).results).toEqual([
			{ name: 'Flaky', value: ruleIds[0], description: 'Group: Amounts · Review Failed' },
			{ name: 'Fine', value: ruleIds[2], description: 'Group: Amounts · Approved' },
		]);
		expect((await methods.listSearch.searchReviewTaskRules.call(context, 'fla')).results.map((r) => r.value)).toEqual([ruleIds[0]]);
		expect(env.emulator.requests[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_id: taskId });

		const unknownYet = await picker(
			{ resource: 'reviewTask', operation: 'retryRule', workspace: workspace(), reviewTaskId: '={{ $json.task_id }}' },
			'parameters.rule',
		);
		await expect(unknownYet.methods.listSearch.searchReviewTaskRules.call(unknownYet.context)).rejects.toThrow('Choose the review task first');
	});
});
