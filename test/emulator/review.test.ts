// The emulator's review/… endpoints: rule repositories, groups and rules with the spec's
// validation, and review tasks progressing over the virtual clock.
import type { DocflowEmulator } from './index.ts';
import { REVIEW_MSG } from './routes/review.ts';
import { fakePdf, form, WS } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started), { stepMs: 1000 });
const post = async (endpoint: string, json: Record<string, unknown>) => (await api('POST', endpoint, { json })).json;
const ok = async (endpoint: string, json: Record<string, unknown>) => {
	const r = await post(endpoint, json);
	expect(r).toMatchObject({ code: 200, msg: 'success' });
	return r.result;
};
const getRepo = async (repoId: string, workspace = WS) =>
	(await api('GET', 'review/rule_repo/get', { query: { workspace_id: workspace, repo_id: repoId } })).json;

const INVOICE_CATEGORY = '1900000000000000001';
const RECEIPT_CATEGORY = '1900000000000000002';

async function upload(names: string[], query: Record<string, string> = {}) {
	const r = await api('POST', 'file/upload', {
		query: { workspace_id: WS, ...query },
		form: form(names.map((name) => ({ name, data: fakePdf(name) }))),
	});
	expect(r.json.code).toBe(200);
	return r.json.result as { batch_number: string; files: Array<{ task_id: string; id: string }> };
}

/** A repository with one group and the given rules; their IDs. */
async function repoWith(rules: Array<Record<string, unknown>>, name = 'Invoice checks') {
	const repoId = String((await ok('review/rule_repo/create', { workspace_id: WS, name })).repo_id);
	const groupId = (await ok('review/rule_group/create', { workspace_id: WS, repo_id: Number(repoId), name: 'Amounts' })).group_id;
	const ruleIds: string[] = [];
	for (const rule of rules) {
		ruleIds.push((await ok('review/rule/create', { workspace_id: WS, repo_id: Number(repoId), group_id: groupId, ...rule })).rule_id);
	}
	return { repoId, groupId, ruleIds };
}

describe('rule repositories', () => {
	test('create answers repo_id as an integer; list and get show it with its groups and rules', async () => {
		const created = await ok('review/rule_repo/create', { workspace_id: WS, name: 'Invoice checks' });
		expect(typeof created.repo_id).toBe('number');
		expect(Number.isSafeInteger(created.repo_id)).toBe(true);
		const repoId = String(created.repo_id);
		const { group_id: groupId } = await ok('review/rule_group/create', { workspace_id: WS, repo_id: created.repo_id, name: 'Amounts' });
		const { rule_id: ruleId } = await ok('review/rule/create', {
			workspace_id: WS,
			repo_id: repoId,
			group_id: groupId,
			name: 'Amount in range',
			prompt: 'Total between 0 and 1,000,000',
			category_ids: [INVOICE_CATEGORY],
			risk_level: 10,
			referenced_fields: [{ category_id: INVOICE_CATEGORY, category_name: '发票', fields: [{ field_id: 'f1', field_name: 'Total Amount' }] }],
		});
		const expected = {
			repo_id: repoId,
			name: 'Invoice checks',
			category_ids: [INVOICE_CATEGORY],
			groups: [
				{
					group_id: groupId,
					name: 'Amounts',
					rules: [
						{
							rule_id: ruleId,
							name: 'Amount in range',
							prompt: 'Total between 0 and 1,000,000',
							category_ids: [INVOICE_CATEGORY],
							risk_level: 10,
							referenced_fields: [{ category_id: INVOICE_CATEGORY, category_name: '发票', fields: [{ field_id: 'f1', field_name: 'Total Amount' }] }],
						},
					],
				},
			],
		};
		expect((await getRepo(repoId)).result).toEqual(expected);
		const list = (await api('GET', 'review/rule_repo/list', { query: { workspace_id: WS } })).json.result;
		expect(list).toEqual({ repos: [expected], total: 1, page: 1, page_size: 10 });
		// another workspace does not see it
		expect(await getRepo(repoId, '2234567890')).toMatchObject({ code: 40004, msg: REVIEW_MSG.REPO_NOT_FOUND });
	});

	test('list pages with page/page_size (at most 100 a page)', async () => {
		for (let i = 0; i < 12; i++) await ok('review/rule_repo/create', { workspace_id: WS, name: `Repo ${i}` });
		const page2 = (await api('GET', 'review/rule_repo/list', { query: { workspace_id: WS, page: 2, page_size: 5 } })).json.result;
		expect(page2.repos.map((r: { name: string }) => r.name)).toEqual(['Repo 5', 'Repo 6', 'Repo 7', 'Repo 8', 'Repo 9']);
		expect(page2).toMatchObject({ total: 12, page: 2, page_size: 5 });
		const bad = await api('GET', 'review/rule_repo/list', { query: { workspace_id: WS, page_size: 101 } });
		expect(bad.json).toMatchObject({ code: 40004, msg: 'invalid page_size: must be an integer between 1 and 100' });
	});

	test('validation: workspace, name (required, at most 30), repo_id an integer (digits as text accepted)', async () => {
		expect(await post('review/rule_repo/create', { name: 'x' })).toMatchObject({ code: 40004, msg: 'workspace_id is required' });
		expect(await post('review/rule_repo/create', { workspace_id: '404', name: 'x' })).toMatchObject({ code: 40004, msg: '工作空间不存在' });
		expect(await post('review/rule_repo/create', { workspace_id: WS })).toMatchObject({ code: 40004, msg: 'name is required' });
		expect(await post('review/rule_repo/create', { workspace_id: WS, name: 'x'.repeat(31) })).toMatchObject({
			code: 40004,
			msg: 'invalid name: length must be at most 30',
		});
		// 30 characters as DocFlow counts them (code points)
		await ok('review/rule_repo/create', { workspace_id: WS, name: '发'.repeat(30) });
		const { repo_id: repoId } = await ok('review/rule_repo/create', { workspace_id: WS, name: 'Repo' });
		await ok('review/rule_repo/update', { workspace_id: WS, repo_id: String(repoId), name: 'Renamed' });
		expect((await getRepo(String(repoId))).result.name).toBe('Renamed');
		expect(await post('review/rule_repo/update', { workspace_id: WS, repo_id: 'abc', name: 'x' })).toMatchObject({
			code: 40004,
			msg: 'invalid repo_id: must be an integer',
		});
		expect(await post('review/rule_repo/update', { workspace_id: WS, name: 'x' })).toMatchObject({ code: 40004, msg: 'repo_id is required' });
		expect(await post('review/rule_repo/update', { workspace_id: WS, repo_id: 1, name: 'x' })).toMatchObject({
			code: 40004,
			msg: REVIEW_MSG.REPO_NOT_FOUND,
		});
		expect((await api('GET', 'review/rule_repo/get', { query: { workspace_id: WS } })).json).toMatchObject({ code: 40004, msg: 'repo_id is required' });
		// an integer above 2^53 is read exactly (not rounded as JSON.parse would)
		const big = await api('POST', 'review/rule_repo/update', {
			body: `{"workspace_id":"${WS}","repo_id":9007199254740993,"name":"x"}`,
			headers: { 'content-type': 'application/json' },
		});
		expect(big.json).toMatchObject({ code: 40004, msg: REVIEW_MSG.REPO_NOT_FOUND });
	});

	test('delete takes a list, all or nothing, and takes groups and rules with it', async () => {
		const a = await repoWith([{ name: 'R', prompt: 'p' }], 'A');
		const b = await repoWith([], 'B');
		expect(await post('review/rule_repo/delete', { workspace_id: WS, repo_ids: [Number(a.repoId), 42] })).toMatchObject({
			code: 40004,
			msg: REVIEW_MSG.REPO_NOT_FOUND,
		});
		expect((await getRepo(a.repoId)).code).toBe(200);
		expect(await post('review/rule_repo/delete', { workspace_id: WS, repo_ids: [] })).toMatchObject({
			code: 40004,
			msg: 'invalid repo_ids: must be a non-empty array',
		});
		await ok('review/rule_repo/delete', { workspace_id: WS, repo_ids: [Number(a.repoId), b.repoId] });
		expect(await getRepo(a.repoId)).toMatchObject({ code: 40004 });
		expect(await post('review/rule/delete', { workspace_id: WS, rule_id: a.ruleIds[0] })).toMatchObject({ code: 40004, msg: REVIEW_MSG.RULE_NOT_FOUND });
	});
});

describe('rule groups and rules', () => {
	test('group update and delete (with its rules); unknown groups', async () => {
		const { repoId, groupId, ruleIds } = await repoWith([{ name: 'R', prompt: 'p' }]);
		await ok('review/rule_group/update', { workspace_id: WS, group_id: groupId, name: 'Dates' });
		expect((await getRepo(repoId)).result.groups[0].name).toBe('Dates');
		expect(await post('review/rule_group/update', { workspace_id: WS, group_id: '1', name: 'x' })).toMatchObject({
			code: 40004,
			msg: REVIEW_MSG.GROUP_NOT_FOUND,
		});
		expect(await post('review/rule_group/create', { workspace_id: WS, repo_id: Number(repoId), name: 'y'.repeat(31) })).toMatchObject({ code: 40004 });
		await ok('review/rule_group/delete', { workspace_id: WS, group_id: groupId });
		expect((await getRepo(repoId)).result.groups).toEqual([]);
		expect(await post('review/rule_group/delete', { workspace_id: WS, group_id: groupId })).toMatchObject({ code: 40004, msg: REVIEW_MSG.GROUP_NOT_FOUND });
		expect(await post('review/rule/update', { workspace_id: WS, rule_id: ruleIds[0], name: 'z' })).toMatchObject({ code: 40004, msg: REVIEW_MSG.RULE_NOT_FOUND });
	});

	test('rule validation: group, name and prompt, categories of the workspace, risk level, referenced fields', async () => {
		const { repoId, groupId } = await repoWith([]);
		const base = { workspace_id: WS, repo_id: Number(repoId), group_id: groupId, name: 'R', prompt: 'p' };
		expect(await post('review/rule/create', { ...base, group_id: undefined })).toMatchObject({ code: 40004, msg: REVIEW_MSG.GROUP_NOT_FOUND });
		expect(await post('review/rule/create', { ...base, name: ' ' })).toMatchObject({ code: 40004, msg: 'name is required' });
		expect(await post('review/rule/create', { ...base, prompt: undefined })).toMatchObject({ code: 40004, msg: 'prompt is required' });
		expect(await post('review/rule/create', { ...base, category_ids: ['123'] })).toMatchObject({ code: 40004, msg: 'category does not exist: 123' });
		expect(await post('review/rule/create', { ...base, category_ids: 'x' })).toMatchObject({ code: 40004, msg: 'invalid category_ids: must be an array' });
		expect(await post('review/rule/create', { ...base, risk_level: 15 })).toMatchObject({ code: 40004, msg: 'invalid risk_level: must be one of 10, 20, 30' });
		expect(await post('review/rule/create', { ...base, referenced_fields: [{ fields: [] }] })).toMatchObject({
			code: 40004,
			msg: 'invalid referenced_fields: every entry needs a category_id string',
		});
		expect(await post('review/rule/create', { ...base, referenced_fields: [{ category_id: 'c', tables: [{ fields: [] }] }] })).toMatchObject({
			code: 40004,
			msg: 'invalid referenced_fields.tables: every table needs a table_id string',
		});
		expect(await post('review/rule/create', { ...base, repo_id: 7 })).toMatchObject({ code: 40004, msg: REVIEW_MSG.REPO_NOT_FOUND });
		expect((await getRepo(repoId)).result.groups[0].rules).toEqual([]);
	});

	test('rule update changes what it is given and moves the rule to another group of its repository', async () => {
		const { repoId, groupId, ruleIds } = await repoWith([{ name: 'R', prompt: 'p', risk_level: 30 }]);
		const other = (await ok('review/rule_group/create', { workspace_id: WS, repo_id: repoId, name: 'Other' })).group_id;
		await ok('review/rule/update', { workspace_id: WS, rule_id: ruleIds[0], group_id: other, prompt: 'q', category_ids: [RECEIPT_CATEGORY] });
		const groups = (await getRepo(repoId)).result.groups;
		expect(groups[0]).toEqual({ group_id: groupId, name: 'Amounts', rules: [] });
		expect(groups[1].rules).toEqual([
			{ rule_id: ruleIds[0], name: 'R', prompt: 'q', category_ids: [RECEIPT_CATEGORY], risk_level: 30, referenced_fields: [] },
		]);
		const foreign = await repoWith([], 'Foreign');
		expect(await post('review/rule/update', { workspace_id: WS, rule_id: ruleIds[0], group_id: foreign.groupId })).toMatchObject({
			code: 40004,
			msg: REVIEW_MSG.GROUP_NOT_FOUND,
		});
		await ok('review/rule/delete', { workspace_id: WS, rule_id: ruleIds[0] });
		expect((await getRepo(repoId)).result.groups[1].rules).toEqual([]);
	});
});

describe('review tasks', () => {
	test('a task goes pending → in queue → reviewing → its verdict over virtual time; rules by category; anchors from referenced fields', async () => {
		const { repoId, groupId, ruleIds } = await repoWith([
			{
				name: 'Amount',
				prompt: 'Total in range',
				category_ids: [INVOICE_CATEGORY],
				risk_level: 10,
				referenced_fields: [{ category_id: INVOICE_CATEGORY, fields: [{ field_id: 'f', field_name: 'Total Amount' }] }],
			},
			{ name: 'Receipts only', prompt: 'p', category_ids: [RECEIPT_CATEGORY] },
			{ name: 'Seller', prompt: 'Reject when the seller is unknown' },
		]);
		const up = await upload(['invoice-1.pdf']);
		emu.finishAll();
		const { task_id: taskId, model } = await ok('review/task/submit', {
			workspace_id: WS,
			name: 'Review 1',
			repo_id: repoId,
			extract_task_ids: [up.files[0].task_id],
		});
		expect(model).toBe('deepseek-v4-pro');
		const result = async () => ok('review/task/result', { workspace_id: WS, task_id: taskId });
		const seen: number[] = [];
		for (let i = 0; i < 4; i++) {
			const r = await result();
			seen.push(r.status);
			if (i === 0) expect(r.groups[0].review_tasks.map((t: { review_result: number; reasoning: string }) => [t.review_result, t.reasoning])).toEqual([[0, ''], [0, '']]);
			emu.advance(1000);
		}
		expect(seen).toEqual([0, 6, 3, 4]);
		const final = await result();
		expect(final).toMatchObject({
			task_id: taskId,
			task_name: 'Review 1',
			status: 4,
			rule_repo: { repo_id: repoId, name: 'Invoice checks' },
			extract_task_ids: [up.files[0].task_id],
			statistics: { pass_count: 1, failure_count: 1, error_count: 0, not_triggered_count: 1 },
			model: 'deepseek-v4-pro',
		});
		expect(final.groups).toHaveLength(1);
		expect(final.groups[0]).toMatchObject({ group_id: groupId, group_name: 'Amounts' });
		const [amount, seller] = final.groups[0].review_tasks;
		expect(amount).toMatchObject({ rule_id: ruleIds[0], rule_name: 'Amount', risk_level: 10, review_result: 1, prompt: 'Total in range' });
		expect(amount.reasoning).toBe('Approved: invoice-1.pdf meets the rule “Amount”. Checked Total Amount = 11300.00.');
		expect(amount.anchors).toEqual([
			expect.objectContaining({ text: '11300.00', extract_task_id: up.files[0].task_id, file_id: up.files[0].id, source: 'extract_field', field_name: 'Total Amount', page: 1 }),
		]);
		const anchor = amount.anchors[0];
		expect([...amount.reasoning].slice(anchor.start_pos, anchor.end_pos).join('')).toBe('11300.00');
		expect(seller).toMatchObject({ rule_id: ruleIds[2], review_result: 4, reasoning: 'Rejected: invoice-1.pdf does not meet the rule “Seller”.' });
		expect(seller.risk_level).toBeUndefined();

		const withUrl = await ok('review/task/result', { workspace_id: WS, task_id: taskId, with_task_detail_url: true });
		expect(withUrl.task_detail_url).toBe(`${emu.url}/docflow/workspace/${WS}/review/${taskId}`);
		expect(await post('review/task/result', { workspace_id: WS, task_id: taskId, with_task_detail_url: 'yes' })).toMatchObject({ code: 40004 });
	});

	test('“fail” in a prompt fails that rule on its first attempt (task: review failed); retrying the rule, or the task, passes it', async () => {
		const { repoId, ruleIds } = await repoWith([{ name: 'Flaky', prompt: 'This check will fail once' }, { name: 'Fine', prompt: 'ok' }]);
		const up = await upload(['a.pdf']);
		emu.finishAll();
		emu.setStepMs(0);
		const { task_id: taskId } = await ok('review/task/submit', { workspace_id: WS, name: 'R', repo_id: repoId, extract_task_ids: [up.files[0].task_id] });
		let r = await ok('review/task/result', { workspace_id: WS, task_id: taskId });
		expect(r.status).toBe(2);
		expect(r.statistics).toEqual({ pass_count: 1, failure_count: 0, error_count: 1, not_triggered_count: 0 });
		expect(r.groups[0].review_tasks[0]).toMatchObject({ review_result: 2, reasoning: 'The review model could not evaluate the rule “Flaky” (model timeout).' });
		const ruleTaskId = r.groups[0].review_tasks[0].rule_task_id;

		emu.setStepMs(1000);
		expect(await post('review/task/rule/retry', { workspace_id: WS, task_id: taskId, rule_id: '1' })).toMatchObject({ code: 40004, msg: REVIEW_MSG.RULE_NOT_IN_TASK });
		await ok('review/task/rule/retry', { workspace_id: WS, task_id: taskId, rule_id: ruleIds[0] });
		r = await ok('review/task/result', { workspace_id: WS, task_id: taskId });
		expect([r.status, r.groups[0].review_tasks.map((t: { review_result: number }) => t.review_result)]).toEqual([6, [6, 1]]);
		// a rule (or the task) under review cannot be retried
		expect(await post('review/task/rule/retry', { workspace_id: WS, task_id: taskId, rule_id: ruleIds[0] })).toMatchObject({ code: 40006, msg: REVIEW_MSG.REVIEW_RUNNING });
		expect(await post('review/task/retry', { workspace_id: WS, task_id: taskId })).toMatchObject({ code: 40006, msg: REVIEW_MSG.REVIEW_RUNNING });
		emu.advance(2000);
		r = await ok('review/task/result', { workspace_id: WS, task_id: taskId });
		expect(r.status).toBe(1);
		expect(r.groups[0].review_tasks[0]).toMatchObject({ review_result: 1, rule_task_id: ruleTaskId });

		// retrying the task applies the rules as they are now
		await ok('review/rule/update', { workspace_id: WS, rule_id: ruleIds[1], prompt: 'now reject it' });
		await ok('review/task/retry', { workspace_id: WS, task_id: taskId });
		expect((await ok('review/task/result', { workspace_id: WS, task_id: taskId })).status).toBe(0);
		emu.advance(3000);
		r = await ok('review/task/result', { workspace_id: WS, task_id: taskId });
		expect([r.status, r.groups[0].review_tasks.map((t: { review_result: number }) => t.review_result)]).toEqual([4, [1, 4]]);
	});

	test('submit checks its documents: unknown, unfinished, failed or classify-only tasks; batches; parents bring their parts', async () => {
		const { repoId } = await repoWith([{ name: 'R', prompt: 'p' }]);
		const submit = (extra: Record<string, unknown>) => post('review/task/submit', { workspace_id: WS, name: 'R', repo_id: repoId, ...extra });
		const running = await upload(['running.pdf']);
		expect(await submit({ extract_task_ids: [running.files[0].task_id] })).toMatchObject({
			code: 40006,
			msg: `${REVIEW_MSG.EXTRACT_TASK_UNFINISHED}: ${running.files[0].task_id}`,
		});
		expect(await submit({ batch_number: running.batch_number })).toMatchObject({ code: 40006 });
		expect(await submit({ extract_task_ids: ['123'] })).toMatchObject({ code: 40004, msg: `${REVIEW_MSG.EXTRACT_TASK_NOT_FOUND}: 123` });
		const failed = await upload(['will-fail.pdf']);
		const classified = await upload(['c.pdf'], { target_process: 'classify' });
		const split = await upload(['split.pdf'], { split_flag: 'true' });
		emu.finishAll();
		expect(await submit({ extract_task_ids: [failed.files[0].task_id] })).toMatchObject({
			code: 40004,
			msg: `${REVIEW_MSG.EXTRACT_TASK_NOT_EXTRACTED}: ${failed.files[0].task_id}`,
		});
		expect(await submit({ extract_task_ids: [classified.files[0].task_id] })).toMatchObject({ code: 40004 });
		expect(await submit({ batch_number: failed.batch_number })).toMatchObject({ code: 40004, msg: `${REVIEW_MSG.BATCH_EMPTY}: ${failed.batch_number}` });
		expect(await submit({})).toMatchObject({ code: 40004, msg: 'extract_task_ids or batch_number is required' });
		expect(await submit({ name: 'n'.repeat(101), batch_number: running.batch_number })).toMatchObject({ code: 40004, msg: 'invalid name: length must be at most 100' });
		expect(await submit({ repo_id: '1', batch_number: running.batch_number })).toMatchObject({ code: 40004, msg: REVIEW_MSG.REPO_NOT_FOUND });
		expect(await submit({ model: 'gpt-9', batch_number: running.batch_number })).toMatchObject({ code: 40004 });
		// a deprecated model is replaced, as the spec says
		const legacy = await ok('review/task/submit', { workspace_id: WS, name: 'R', repo_id: repoId, batch_number: running.batch_number, model: 'qwq-32b' });
		expect(legacy.model).toBe('qwen3.6-plus');
		// a split parent brings its two parts; the batch and the IDs are merged without duplicates
		const parent = split.files[0].task_id;
		const children = emu.tasks().filter((t) => t.parentTaskId === parent).map((t) => t.taskId);
		expect(children).toHaveLength(2);
		const merged = await ok('review/task/submit', {
			workspace_id: WS,
			name: 'R',
			repo_id: repoId,
			extract_task_ids: [parent, running.files[0].task_id],
			batch_number: running.batch_number,
		});
		const r = await ok('review/task/result', { workspace_id: WS, task_id: merged.task_id });
		expect(r.extract_task_ids).toEqual([...children, running.files[0].task_id]);
	});

	test('delete takes a list, all or nothing; reset forgets repositories and tasks', async () => {
		const { repoId } = await repoWith([{ name: 'R', prompt: 'p' }]);
		const up = await upload(['a.pdf']);
		emu.finishAll();
		const { task_id: taskId } = await ok('review/task/submit', { workspace_id: WS, name: 'R', repo_id: repoId, extract_task_ids: [up.files[0].task_id] });
		expect(await post('review/task/delete', { workspace_id: WS, task_ids: [taskId, '404'] })).toMatchObject({ code: 40004, msg: REVIEW_MSG.TASK_NOT_FOUND });
		expect((await post('review/task/result', { workspace_id: WS, task_id: taskId })).code).toBe(200);
		expect(await post('review/task/delete', { workspace_id: WS })).toMatchObject({ code: 40004, msg: 'task_ids is required' });
		await ok('review/task/delete', { workspace_id: WS, task_ids: [taskId] });
		expect(await post('review/task/result', { workspace_id: WS, task_id: taskId })).toMatchObject({ code: 40004, msg: REVIEW_MSG.TASK_NOT_FOUND });
		emu.reset();
		expect(await getRepo(repoId)).toMatchObject({ code: 40004 });
	});
});
