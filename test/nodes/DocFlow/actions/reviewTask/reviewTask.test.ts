// Review Task → Get Result, Retry, Retry Rule and Delete.
import { runDocflow } from '../../../../harness/engine.ts';
import { useEmulator } from '../../../../harness/fixtures.ts';
import {
	WORKSPACE_ID,
	credential,
	expectBadInput,
	fromList,
	jsonOf,
	parameters,
	requestsTo,
	reviewResult,
	seedExtracted,
	seedRepoWithRules,
	seedReview,
	wire,
} from './reviewFixtures.ts';

const env = useEmulator();
const taskParameters = (operation: string, extra: Record<string, unknown> = {}) => parameters('reviewTask', operation, extra);

/** A finished review of one invoice: rule 0 “fail”s on its first attempt, rule 1 passes. */
async function failedReview(rules: Array<Record<string, unknown>> = [{ name: 'Flaky', prompt: 'will fail once' }, { name: 'Fine', prompt: 'ok' }]) {
	const { repoId, ruleIds } = await seedRepoWithRules(env.emulator, rules);
	const docs = await seedExtracted(env.emulator, ['invoice-1.pdf']);
	const taskId = await seedReview(env.emulator, repoId, docs.taskIds, 'Seeded review');
	env.emulator.advance(1000);
	env.emulator.clearRequests();
	return { repoId, ruleIds, taskId, docs };
}

describe('Review Task → Get Result', () => {
	test('simplified, raw, and with the task detail URL; one request each', async () => {
		const { taskId, ruleIds, docs } = await failedReview();
		const simplified = await runDocflow({ parameters: taskParameters('getResult', { reviewTaskId: taskId }), credentials: credential(env.emulator) });
		expect(jsonOf(simplified.items)).toEqual([
			expect.objectContaining({
				workspace_id: WORKSPACE_ID,
				task_id: taskId,
				task_name: 'Seeded review',
				status: 'failed',
				status_code: 2,
				status_name: 'Review Failed',
				extract_task_ids: docs.taskIds,
				pass_count: 1,
				error_count: 1,
				rules: [
					expect.objectContaining({ rule_id: ruleIds[0], rule_name: 'Flaky', verdict: 'failed', verdict_code: 2, risk_level: null }),
					expect.objectContaining({ rule_id: ruleIds[1], rule_name: 'Fine', verdict: 'approved', verdict_code: 1 }),
				],
			}),
		]);
		expect(simplified.items[0].json.task_detail_url).toBeUndefined();
		expect(requestsTo(env.emulator, 'review/task/result').map((r) => [r.method, r.json])).toEqual([['POST', { workspace_id: WORKSPACE_ID, task_id: taskId }]]);

		env.emulator.clearRequests();
		const raw = await runDocflow({
			parameters: taskParameters('getResult', { reviewTaskId: taskId, simplify: false, options: { includeTaskDetailUrl: true } }),
			credentials: credential(env.emulator),
		});
		expect(requestsTo(env.emulator, 'review/task/result')[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_id: taskId, with_task_detail_url: true });
		expect(raw.items[0].json).toEqual({ ...(await reviewResult(env.emulator, taskId)), task_detail_url: `${env.emulator.url}/docflow/workspace/${WORKSPACE_ID}/review/${taskId}` });
	});
});

describe('Review Task → Retry and Retry Rule', () => {
	test('Retry: the whole task again; Wait for Completion brings the new verdict (the old one is not taken for it)', async () => {
		const { taskId } = await failedReview();
		// slow enough for the first poll to see it under review (else a final status counts only after a grace period)
		env.emulator.setStepMs(300);
		const result = await runDocflow({
			parameters: taskParameters('retry', { reviewTaskId: taskId, waitForCompletion: true, options: { pollIntervalSeconds: 0.2 } }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ task_id: taskId, status: 'approved', pass_count: 2, error_count: 0 });
		const sent = wire(env.emulator);
		expect(requestsTo(env.emulator, 'review/task/result').length).toBeGreaterThanOrEqual(3);
		expect(sent.slice(0, 2)).toEqual(['POST review/task/result', 'POST review/task/retry']);
		expect(requestsTo(env.emulator, 'review/task/retry')[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_id: taskId });
	});

	test('Retry without waiting: the receipt; a task still under review is refused before sending', async () => {
		const { taskId } = await failedReview();
		const receipt = await runDocflow({ parameters: taskParameters('retry', { reviewTaskId: taskId }), credentials: credential(env.emulator) });
		expect(jsonOf(receipt.items)).toEqual([{ workspace_id: WORKSPACE_ID, task_id: taskId, task_name: 'Seeded review', previous_status: 'failed', retried: true }]);
		// right after the retry the task is under review again
		const again = await runDocflow({ parameters: taskParameters('retry', { reviewTaskId: taskId }), credentials: credential(env.emulator) });
		expect(again.error?.message).toBe(`Review task ${taskId} is still being reviewed (Pending); only a finished review can be retried [item 0]`);
		expect(requestsTo(env.emulator, 'review/task/retry')).toHaveLength(1);
	});

	test('Retry Rule: one rule again, picked from the task’s rules; waiting brings the task’s new verdict', async () => {
		const { taskId, ruleIds } = await failedReview();
		env.emulator.setStepMs(300);
		const result = await runDocflow({
			parameters: taskParameters('retryRule', { reviewTaskId: taskId, rule: fromList(ruleIds[0]), waitForCompletion: true, options: { pollIntervalSeconds: 0.2 } }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(env.emulator, 'review/task/rule/retry').map((r) => r.json)).toEqual([{ workspace_id: WORKSPACE_ID, task_id: taskId, rule_id: ruleIds[0] }]);
		expect(result.items[0].json).toMatchObject({
			status: 'approved',
			rules: [expect.objectContaining({ rule_name: 'Flaky', verdict: 'approved' }), expect.objectContaining({ rule_name: 'Fine', verdict: 'approved' })],
		});

		env.emulator.clearRequests();
		const receipt = await runDocflow({ parameters: taskParameters('retryRule', { reviewTaskId: taskId, rule: fromList(ruleIds[1]) }), credentials: credential(env.emulator) });
		expect(jsonOf(receipt.items)).toEqual([{ workspace_id: WORKSPACE_ID, task_id: taskId, rule_id: ruleIds[1], rule_name: 'Fine', previous_verdict: 'approved', retried: true }]);
	});

	test('a lost answer: reviewing again means it arrived; already final again means it may have been applied — not resent', async () => {
		const { taskId, ruleIds } = await failedReview();
		env.emulator.injectFault({ path: 'review/task/retry', kind: 'reset-after' });
		const arrived = await runDocflow({ parameters: taskParameters('retry', { reviewTaskId: taskId }), credentials: credential(env.emulator) });
		expect(arrived.error).toBeUndefined();
		expect(arrived.items[0].json.retried).toBe(true);
		expect(wire(env.emulator)).toEqual(['POST review/task/result', 'POST review/task/retry', 'POST review/task/result']);

		// DocFlow so fast the rule is final again before the node looks
		env.emulator.advance(10_000);
		env.emulator.setStepMs(0);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/task/rule/retry', kind: 'reset-after' });
		const unsure = await runDocflow({ parameters: taskParameters('retryRule', { reviewTaskId: taskId, rule: fromList(ruleIds[0]) }), credentials: credential(env.emulator) });
		expect(unsure.error?.message).toBe(`The retry of rule “Flaky” in review task ${taskId} may have been applied: DocFlow’s answer got lost [item 0]`);
		expect(unsure.error?.description).toMatch(/did not send it again/);
		expect(requestsTo(env.emulator, 'review/task/rule/retry')).toHaveLength(1);
	});
});

describe('Review Task → Delete', () => {
	test('deletes it; a lost answer is checked (gone: done)', async () => {
		const { taskId } = await failedReview();
		env.emulator.injectFault({ path: 'review/task/delete', kind: 'reset-after' });
		const result = await runDocflow({ parameters: taskParameters('delete', { reviewTaskId: taskId }), credentials: credential(env.emulator) });
		expect(jsonOf(result.items)).toEqual([{ workspace_id: WORKSPACE_ID, task_id: taskId, task_name: 'Seeded review', deleted: true }]);
		expect(wire(env.emulator)).toEqual(['POST review/task/result', 'POST review/task/delete', 'POST review/task/result']);
		expect(requestsTo(env.emulator, 'review/task/delete')[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_ids: [taskId] });
	});
});

describe('Review Task: bad input, stopped or on its own output', () => {
	/** Item 0 names a real review task, item 1 another value. */
	const second = (operation: string, value: string, extra: Record<string, unknown> = {}) => async () => {
		const { taskId } = await failedReview();
		return {
			parameters: taskParameters(operation, { reviewTaskId: '={{ $json.task }}', ...extra }),
			items: [{ json: { task: taskId } }, { json: { task: value } }],
		};
	};

	test.each(['getResult', 'retry', 'delete'])('%s of a review task that does not exist: named, with DocFlow’s code; nothing written', async (operation) => {
		await expectBadInput(env.emulator, {
			setup: second(operation, '31415926'),
			bad: 1,
			message: new RegExp(`^Review task 31415926 was not found in workspace ${WORKSPACE_ID} \\(DocFlow code 40004, “审核任务不存在”, trace ID \\w+\\) \\[item 1\\]$`),
			description: /Submit outputs it as task_id/,
			writes: operation === 'getResult' ? undefined : { endpoint: `review/task/${operation}`, stopped: 1, continued: 1 },
		});
	});

	test('an empty Review Task ID: refused before any request', async () => {
		await expectBadInput(env.emulator, { setup: second('getResult', ' '), bad: 1, message: /^Review Task ID is empty \[item 1\]$/, upFront: true });
	});

	test('Retry Rule of a rule the task did not review: the error lists the task’s rules', async () => {
		await expectBadInput(env.emulator, {
			setup: async () => {
				const { taskId, ruleIds } = await failedReview();
				return {
					parameters: taskParameters('retryRule', { reviewTaskId: taskId, rule: { __rl: true, mode: 'id', value: '={{ $json.rule }}' } }),
					items: [{ json: { rule: '27182818' } }, { json: { rule: ruleIds[0] } }],
				};
			},
			bad: 0,
			message: /^Rule 27182818 was not reviewed in review task \d+ \[item 0\]$/,
			description: /The task reviewed: “Flaky” \(\d+\), “Fine” \(\d+\)\./,
			writes: { endpoint: 'review/task/rule/retry', stopped: 0, continued: 1 },
		});
	});
});
