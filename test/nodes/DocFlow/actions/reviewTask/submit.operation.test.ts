import { runDocflow } from '../../../../harness/engine.ts';
import type { RunResult } from '../../../../harness/engine.ts';
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
	pairedOf,
	parameters,
	requestsTo,
	reviewResult,
	seedExtracted,
	seedRepo,
	seedRepoWithRules,
	seedUnfinished,
	wire,
} from './reviewFixtures.ts';

const env = useEmulator();
const submitParameters = (repoId: string, extra: Record<string, unknown> = {}) =>
	parameters('reviewTask', 'submit', { ruleRepository: fromList(repoId), ...extra });
const submits = () => requestsTo(env.emulator, 'review/task/submit');
const polls = () => requestsTo(env.emulator, 'review/task/result');

/** Invoice rules of every kind: one that passes, one for receipts only that rejects. */
const RULES = [
	{
		name: 'Amount in range',
		prompt: 'The total amount is above 0',
		risk_level: 10,
		category_ids: [INVOICE_CATEGORY],
		referenced_fields: [{ category_id: INVOICE_CATEGORY, fields: [{ field_id: 'f-total', field_name: 'Total Amount' }] }],
	},
	{ name: 'Receipt signed', prompt: 'Reject a receipt without a signature', risk_level: 30, category_ids: [RECEIPT_CATEGORY] },
];

describe('Review Task → Submit and wait', () => {
	test('each item’s documents reviewed and its verdict out: approved and rejected, with every rule’s reasoning', async () => {
		const { repoId, groupId, ruleIds } = await seedRepoWithRules(env.emulator, RULES);
		const docs = await seedExtracted(env.emulator, ['invoice-2024-001.pdf', 'receipt-taxi.pdf']);
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: submitParameters(repoId),
			credentials: credential(env.emulator),
			items: docs.taskIds.map((task_id, i) => ({ json: { task_id, file_name: i === 0 ? 'invoice-2024-001.pdf' : 'receipt-taxi.pdf' } })),
		});
		expect(result.error).toBeUndefined();
		const [first, second] = submits();
		const taskIds = result.items.map((i) => i.json.task_id as string);
		expect(jsonOf(result.items)).toEqual([
			{
				workspace_id: WORKSPACE_ID,
				task_id: taskIds[0],
				task_name: 'Review of invoice-2024-001.pdf',
				status: 'approved',
				status_code: 1,
				status_name: 'Approved',
				rule_repo_id: repoId,
				rule_repo_name: 'Invoice checks',
				extract_task_ids: [docs.taskIds[0]],
				pass_count: 1,
				failure_count: 0,
				error_count: 0,
				not_triggered_count: 1,
				rejected_rules: [],
				rules: [
					{
						group_id: groupId,
						group_name: 'Amounts',
						rule_id: ruleIds[0],
						rule_name: 'Amount in range',
						verdict: 'approved',
						verdict_code: 1,
						risk_level: 'high',
						reasoning: 'Approved: invoice-2024-001.pdf meets the rule “Amount in range”. Checked Total Amount = 11300.00.',
					},
				],
				model: 'deepseek-v4-pro',
			},
			expect.objectContaining({
				task_id: taskIds[1],
				task_name: 'Review of receipt-taxi.pdf',
				status: 'rejected',
				status_code: 4,
				status_name: 'Rejected',
				extract_task_ids: [docs.taskIds[1]],
				rejected_rules: ['Receipt signed'],
				rules: [expect.objectContaining({ rule_id: ruleIds[1], verdict: 'rejected', verdict_code: 4, risk_level: 'low' })],
			}),
		]);
		expect(pairedOf(result.items)).toEqual([0, 1]);
		// DocFlow side: the repository read once for the run, each item's task checked, then submitted
		expect(wire(env.emulator).filter((w) => !w.endsWith('review/task/result'))).toEqual([
			'GET review/rule_repo/get',
			'GET file/fetch',
			'POST review/task/submit',
			'GET file/fetch',
			'POST review/task/submit',
		]);
		expect(requestsTo(env.emulator, 'file/fetch')[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, task_id: docs.taskIds[0] });
		expect(first.json).toEqual({ workspace_id: WORKSPACE_ID, name: 'Review of invoice-2024-001.pdf', repo_id: repoId, extract_task_ids: [docs.taskIds[0]] });
		expect(second.json).toMatchObject({ extract_task_ids: [docs.taskIds[1]] });
		// one result request per task per round: both done at the first round
		expect(polls().map((r) => r.json)).toEqual(taskIds.map((task_id) => ({ workspace_id: WORKSPACE_ID, task_id })));
		expect(env.emulator.requests.every((r) => r.auth.valid)).toBe(true);
	});

	test('Simplify off: DocFlow’s own result; Include Task Detail URL, Review Model; a batch instead of task IDs', async () => {
		const { repoId } = await seedRepoWithRules(env.emulator, RULES);
		const docs = await seedExtracted(env.emulator, ['invoice-a.pdf', 'invoice-b.pdf']);
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: submitParameters(repoId, {
				documents: 'batch',
				batchNumber: docs.batchNumber,
				taskName: 'Batch review',
				simplify: false,
				options: { includeTaskDetailUrl: true, model: 'qwen3.7-max', pollIntervalSeconds: 0.2 },
			}),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(submits()[0].json).toEqual({ workspace_id: WORKSPACE_ID, name: 'Batch review', repo_id: repoId, batch_number: docs.batchNumber, model: 'qwen3.7-max' });
		expect(requestsTo(env.emulator, 'file/fetch')[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, batch_number: docs.batchNumber });
		const taskId = result.items[0].json.task_id as string;
		for (const poll of polls()) expect(poll.json).toEqual({ workspace_id: WORKSPACE_ID, task_id: taskId, with_task_detail_url: true });
		expect(result.items[0].json).toEqual({
			...(await reviewResult(env.emulator, taskId)),
			task_detail_url: `${env.emulator.url}/docflow/workspace/${WORKSPACE_ID}/review/${taskId}`,
		});
		expect(result.items[0].json).toMatchObject({ status: 1, model: 'qwen3.7-max', extract_task_ids: docs.taskIds });
	});

	test('without waiting: the receipt; a split parent brings its parts (DocFlow reviews them)', async () => {
		const { repoId } = await seedRepoWithRules(env.emulator, RULES);
		const docs = await seedExtracted(env.emulator, ['scan.pdf'], { split_flag: 'true' });
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: submitParameters(repoId, { extractTaskIds: `${docs.taskIds[0]}`, taskName: 'Split scan', waitForCompletion: false }),
			credentials: credential(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const taskId = result.items[0].json.task_id as string;
		expect(jsonOf(result.items)).toEqual([
			{
				workspace_id: WORKSPACE_ID,
				task_id: taskId,
				task_name: 'Split scan',
				rule_repo_id: repoId,
				rule_repo_name: 'Invoice checks',
				extract_task_ids: docs.taskIds,
				model: 'deepseek-v4-pro',
			},
		]);
		expect(polls()).toEqual([]);
		const parts = env.emulator.tasks().filter((t) => t.parentTaskId === docs.taskIds[0]).map((t) => t.taskId);
		expect((await reviewResult(env.emulator, taskId)).extract_task_ids).toEqual(parts);
	});

	test('several task IDs in one item (a list or text separated by commas) make one review task', async () => {
		const { repoId } = await seedRepoWithRules(env.emulator, RULES);
		const docs = await seedExtracted(env.emulator, ['invoice-a.pdf', 'invoice-b.pdf', 'invoice-c.pdf']);
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: submitParameters(repoId, { extractTaskIds: '={{ $json.ids }}', waitForCompletion: false }),
			credentials: credential(env.emulator),
			items: [{ json: { ids: docs.taskIds.slice(0, 2) } }, { json: { ids: `${docs.taskIds[2]}, ${docs.taskIds[0]} ,${docs.taskIds[2]}` } }],
		});
		expect(result.error).toBeUndefined();
		expect(submits().map((r) => (r.json as { extract_task_ids: string[] }).extract_task_ids)).toEqual([
			docs.taskIds.slice(0, 2),
			[docs.taskIds[2], docs.taskIds[0]],
		]);
		expect(requestsTo(env.emulator, 'file/fetch').map((r) => r.query.task_id)).toEqual([...docs.taskIds.slice(0, 2), docs.taskIds[2], docs.taskIds[0]]);
	});
});

describe('Review Task → Submit: the wait’s end', () => {
	async function reviewOf(
		rules: Array<Record<string, unknown>>,
		options: Record<string, unknown>,
		run: { onError?: 'continueRegularOutput' | 'continueErrorOutput'; cancelAfterMs?: number; slow?: boolean; documents?: string[] } = {},
	): Promise<{ result: RunResult; taskIds: string[] }> {
		const { repoId } = await seedRepoWithRules(env.emulator, rules);
		const docs = await seedExtracted(env.emulator, run.documents ?? ['invoice-1.pdf', 'invoice-2.pdf']);
		env.emulator.clearRequests();
		if (run.slow) env.emulator.setStepMs(3_600_000);
		const result = await runDocflow({
			parameters: submitParameters(repoId, { options }),
			credentials: credential(env.emulator),
			items: docs.taskIds.map((task_id) => ({ json: { task_id } })),
			onError: run.onError,
			cancelAfterMs: run.cancelAfterMs,
		});
		return { result, taskIds: submits().map((_, i) => String(result.items[i]?.json.task_id ?? '')) };
	}

	test('timeout: the error names the task and its status, and where to pick the verdict up; on each item’s own output', async () => {
		const stopped = await reviewOf(RULES, { timeoutMinutes: 0.02, pollIntervalSeconds: 0.3 }, { slow: true });
		expect(stopped.result.error?.message).toMatch(/^DocFlow had not finished review task \d+ after 1\.2 seconds \(still Pending\) \[item 0\]$/);
		expect(stopped.result.error?.description).toMatch(/Nothing is lost: the review goes on in DocFlow\. Get its verdict later with Review Task → Get Result \(Review Task ID \d+\)/);
		expect(submits()).toHaveLength(2);
		// polled at the fixed interval until the timeout, never after
		expect(polls().length).toBeGreaterThanOrEqual(4);
		expect(polls().length).toBeLessThanOrEqual(10);

		env.emulator.reset();
		const regular = await reviewOf(RULES, { timeoutMinutes: 0.02, pollIntervalSeconds: 0.3 }, { slow: true, onError: 'continueRegularOutput' });
		expect(regular.result.error).toBeUndefined();
		const ids = polls().slice(0, 2).map((r) => (r.json as { task_id: string }).task_id);
		expect(jsonOf(regular.result.items)).toEqual(
			ids.map((taskId, item) => ({
				workspace_id: WORKSPACE_ID,
				task_id: taskId,
				status: 'pending',
				status_code: 0,
				error: `DocFlow had not finished review task ${taskId} after 1.2 seconds (still Pending) [item ${item}]`,
				description: expect.stringContaining('Review Task → Get Result'),
			})),
		);

		env.emulator.reset();
		const errorOutput = await reviewOf(RULES, { timeoutMinutes: 0.02, pollIntervalSeconds: 0.3 }, { slow: true, onError: 'continueErrorOutput' });
		expect(errorOutput.result.items).toEqual([]);
		expect(pairedOf(errorOutput.result.errorItems)).toEqual([0, 1]);
		expect(errorOutput.result.errorItems[0].json.error).toMatchObject({ status: 'pending', message: expect.stringMatching(/had not finished review task/) });
	});

	test('a failed review (a rule DocFlow could not review): an error naming the rule and what to retry; the others’ verdicts intact', async () => {
		const rules = [{ name: 'Flaky check', prompt: 'This check will fail once', category_ids: [] }];
		const stopped = await reviewOf(rules, { pollIntervalSeconds: 0.2 });
		expect(stopped.result.error?.message).toMatch(
			/^DocFlow could not complete review task \d+ \(Review Failed\): rule “Flaky check” \(The review model could not evaluate the rule “Flaky check” \(model timeout\)\.\) could not be reviewed \[item 0\]$/,
		);
		expect(stopped.result.error?.description).toMatch(/Retry Rule.*Turn on Continue On Fail/);

		// The receipt's rule fails, the invoice's passes: each item its own outcome.
		env.emulator.reset();
		const regular = await reviewOf(
			[
				{ name: 'Flaky check', prompt: 'This check will fail once', category_ids: [RECEIPT_CATEGORY] },
				{ name: 'Fine', prompt: 'ok', category_ids: [INVOICE_CATEGORY] },
			],
			{ pollIntervalSeconds: 0.2 },
			{ onError: 'continueRegularOutput', documents: ['receipt-1.pdf', 'invoice-2.pdf'] },
		);
		expect(regular.result.items.map((i) => [pairedOf([i])[0], i.json.status, i.json.status_code])).toEqual([
			[0, 'failed', 2],
			[1, 'approved', 1],
		]);
		expect(regular.result.items[0].json.error).toMatch(/could not complete review task \d+ \(Review Failed\): rule “Flaky check”/);

		// Get Result (a read) shows a failed review as it is, without an error
		env.emulator.clearRequests();
		const read = await runDocflow({
			parameters: parameters('reviewTask', 'getResult', { reviewTaskId: regular.result.items[0].json.task_id }),
			credentials: credential(env.emulator),
		});
		expect(read.items[0].json).toMatchObject({ status: 'failed', error_count: 1, pass_count: 0, not_triggered_count: 1, rules: [{ rule_name: 'Flaky check', verdict: 'failed' }] });
	});

	test('stop: ends within a second while waiting, nothing sent after it', async () => {
		const { result } = await reviewOf(RULES, { timeoutMinutes: 0.1, pollIntervalSeconds: 5 }, { slow: true, cancelAfterMs: 1500 });
		expect(result.cancelledAt).toBeDefined();
		expect(result.endedAt - result.cancelledAt!).toBeLessThan(1000);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(env.emulator.requests.filter((r) => r.receivedAt > result.cancelledAt! + 5)).toEqual([]);
		expect(result.run.status).toBe('canceled');
		expect(result.error?.message).toBe('The execution was stopped while DocFlow was working');
		expect(result.items).toEqual([]);
		expect(submits()).toHaveLength(2);
		expect(polls()).toEqual([]);
	});
});

describe('Review Task → Submit is never sent twice', () => {
	test('an answer lost after DocFlow may have taken it: not resent — “may have been created”, where to look', async () => {
		const { repoId } = await seedRepoWithRules(env.emulator, RULES);
		const docs = await seedExtracted(env.emulator, ['invoice-1.pdf']);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/task/submit', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: submitParameters(repoId, { taskName: 'Lost one' }),
			credentials: credential(env.emulator),
			items: [{ json: { task_id: docs.taskIds[0] } }],
		});
		expect(result.error?.message).toBe(`Review task “Lost one” may have been created — check the review tasks of workspace ${WORKSPACE_ID} in DocFlow [item 0]`);
		expect(result.error?.description).toMatch(/offers no way to look review tasks up, so the node did not submit it again/);
		expect(submits()).toHaveLength(1);
		expect(polls()).toEqual([]);
	});

	test('refused before DocFlow took it (429, Retry-After): sent again, one task', async () => {
		const { repoId } = await seedRepoWithRules(env.emulator, RULES);
		const docs = await seedExtracted(env.emulator, ['invoice-1.pdf']);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'review/task/submit', kind: 'status', status: 429, retryAfter: 0 });
		const result = await runDocflow({
			parameters: submitParameters(repoId, { waitForCompletion: false }),
			credentials: credential(env.emulator),
			items: [{ json: { task_id: docs.taskIds[0] } }],
		});
		expect(result.error).toBeUndefined();
		expect(submits().map((r) => r.status)).toEqual([429, 200]);
		expect(result.items[0].json.task_id).toMatch(/^\d+$/);
	});
});

describe('Review Task → Submit: bad input, stopped or on its own output', () => {
	/** Item 0 good, item 1 bad; `second` gives the bad item's task IDs. */
	const twoItems = (second: (e: typeof env.emulator) => Promise<string | string[]>, extra: Record<string, unknown> = {}, rules = RULES) =>
		async (emulator: typeof env.emulator) => {
			const { repoId } = await seedRepoWithRules(emulator, rules);
			const good = await seedExtracted(emulator, ['invoice-ok.pdf']);
			return {
				parameters: submitParameters(repoId, { extractTaskIds: '={{ $json.ids }}', waitForCompletion: false, ...extra }),
				items: [{ json: { ids: good.taskIds[0] } }, { json: { ids: await second(emulator) } }],
			};
		};
	const submitsOnly = (stopped: number, continued: number) => ({ endpoint: 'review/task/submit', stopped, continued });

	test('an extraction task still being processed', async () => {
		await expectBadInput(env.emulator, {
			setup: twoItems(async (emulator) => (await seedUnfinished(emulator, ['slow.pdf'])).taskIds[0]),
			bad: 1,
			message: /^Extraction task \d+ is still being processed \(\w+\); DocFlow reviews only documents whose extraction has finished \[item 1\]$/,
			description: /Wait for Completion in the Upload/,
			writes: submitsOnly(1, 1),
		});
	});

	test('an extraction task whose extraction failed, one only classified, one DocFlow does not have', async () => {
		await expectBadInput(env.emulator, {
			setup: twoItems(async (emulator) => (await seedExtracted(emulator, ['will-fail.pdf'])).taskIds[0]),
			bad: 1,
			message: /^Extraction task \d+ failed \(Document parsing failed: the file is damaged or unreadable\); DocFlow reviews only documents whose extraction succeeded \[item 1\]$/,
			description: /File → Retry/,
			writes: submitsOnly(1, 1),
		});
		await expectBadInput(env.emulator, {
			setup: twoItems(async (emulator) => (await seedExtracted(emulator, ['c.pdf'], { target_process: 'classify' })).taskIds[0]),
			bad: 1,
			message: /was only classified \(Target Process “Classify Only”\); a review needs extracted fields \[item 1\]$/,
			writes: submitsOnly(1, 1),
		});
		await expectBadInput(env.emulator, {
			setup: twoItems(async () => '1900000000000000999'),
			bad: 1,
			message: `Extraction task 1900000000000000999 was not found in workspace ${WORKSPACE_ID} [item 1]`,
			description: /not a file_id or a review task ID/,
			writes: submitsOnly(1, 1),
		});
	});

	test('a rule repository that does not exist, and one without rules', async () => {
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const docs = await seedExtracted(emulator, ['invoice-1.pdf']);
				return {
					parameters: parameters('reviewTask', 'submit', { ruleRepository: byId('={{ $json.repo }}'), waitForCompletion: false }),
					items: [{ json: { repo: '424242', task_id: docs.taskIds[0] } }, { json: { repo: (await seedRepoWithRules(emulator, RULES)).repoId, task_id: docs.taskIds[0] } }],
				};
			},
			bad: 0,
			message: /^Rule repository 424242 was not found in workspace 1234567890 \(DocFlow code 40004, “规则库不存在”/,
			writes: submitsOnly(0, 1),
		});
		await expectBadInput(env.emulator, {
			setup: async (emulator) => {
				const docs = await seedExtracted(emulator, ['invoice-1.pdf']);
				return {
					parameters: parameters('reviewTask', 'submit', { ruleRepository: byId(await seedRepo(emulator, 'Empty')), waitForCompletion: false }),
					items: [{ json: { task_id: docs.taskIds[0] } }],
				};
			},
			bad: 0,
			message: /^Rule repository \d+ \(“Empty”\) has no rules, so a review would check nothing \[item 0\]$/,
			description: /Rule → Create/,
			writes: submitsOnly(0, 0),
		});
	});

	test('a batch still being processed, and one DocFlow does not have', async () => {
		const batches = (second: (e: typeof env.emulator) => Promise<string>) => async (emulator: typeof env.emulator) => {
			const { repoId } = await seedRepoWithRules(emulator, RULES);
			const done = await seedExtracted(emulator, ['invoice-1.pdf']);
			return {
				parameters: submitParameters(repoId, { documents: 'batch', batchNumber: '={{ $json.batch }}', waitForCompletion: false }),
				items: [{ json: { batch: done.batchNumber } }, { json: { batch: await second(emulator) } }],
			};
		};
		await expectBadInput(env.emulator, {
			setup: batches(async () => 'no-such-batch'),
			bad: 1,
			message: `Batch no-such-batch has no documents in workspace ${WORKSPACE_ID} [item 1]`,
			writes: submitsOnly(1, 1),
		});
		await expectBadInput(env.emulator, {
			setup: batches(async (emulator) => (await seedUnfinished(emulator, ['busy-1.pdf', 'busy-2.pdf'])).batchNumber),
			bad: 1,
			message: /^Batch \d+ is still being processed: tasks \d+ \(\w+\), \d+ \(\w+\) \[item 1\]$/,
			description: /DocFlow reviews only documents whose extraction has finished/,
			writes: submitsOnly(1, 1),
		});
	});

	test.each([
		['an empty Extraction Task IDs', '', /^Extraction Task IDs is empty \[item 1\]$/],
		['a task ID that is not one', 'invoice.pdf', /^Extraction Task ID “invoice\.pdf” is not a task ID \[item 1\]$/],
		['an object', { task: 1 }, /^Extraction Task IDs must be task IDs, but the list holds an object \[item 1\]$/],
	])('%s: refused before any request', async (_what, value, message) => {
		await expectBadInput(env.emulator, {
			setup: twoItems(async () => value as string),
			bad: 1,
			message,
			upFront: true,
		});
	});

	test('a review task name over 100 characters: refused before any request', async () => {
		await expectBadInput(env.emulator, {
			setup: twoItems(async () => '1', { taskName: '={{ $json.ids === "1" ? "x".repeat(101) : "fine" }}' }),
			bad: 1,
			message: /^Review Task Name is 101 characters long; DocFlow allows at most 100 \[item 1\]$/,
			upFront: true,
		});
	});
});
