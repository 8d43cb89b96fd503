import { runDocflow } from '../../../../harness/engine.ts';
import {
	WORKSPACE_ID,
	credentialFor,
	rawFetch,
	sample,
	seedUpload,
	useEmulator,
	workspace,
} from '../../../../harness/fixtures.ts';

const env = useEmulator();

const retryParameters = (taskId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'retry',
	workspace: workspace(),
	taskId,
	...extra,
});

const retries = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/retry'));

describe('File → Retry', () => {
	test('a failed task is retried, and succeeds the second time', async () => {
		const seeded = await seedUpload(env.emulator, ['will-fail.pdf']);
		env.emulator.finishAll();
		const taskId = seeded.files[0].task_id;
		expect((await rawFetch(env.emulator, { task_id: taskId })).files[0].recognition_status).toBe(2);

		const result = await runDocflow({
			parameters: retryParameters(taskId),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(retries()).toHaveLength(1);
		expect(retries()[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_id: taskId });
		expect(retries()[0].auth.valid).toBe(true);
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: WORKSPACE_ID,
					task_id: taskId,
					file_id: seeded.files[0].id,
					batch_number: seeded.batch_number,
					name: 'will-fail.pdf',
					previous_status: 2,
					retried: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		env.emulator.finishAll();
		const after = await rawFetch(env.emulator, { task_id: taskId });
		expect(after.files[0].recognition_status).toBe(1);
		expect(env.emulator.tasks()[0].attempts).toBe(2);
	});

	test('parser option overrides go in parser_params', async () => {
		const seeded = await seedUpload(env.emulator, ['scan.pdf']);
		env.emulator.finishAll();
		const result = await runDocflow({
			parameters: retryParameters(seeded.files[0].task_id, {
				parserOptions: { parseMode: 'scan', dpi: 216, removeWatermark: true, pdfPassword: 'pw' },
			}),
			credentials: credentialFor(env.emulator, { authentication: 'signature' }),
		});
		expect(result.error).toBeUndefined();
		expect(retries()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			task_id: seeded.files[0].task_id,
			parser_params: { parse_mode: 'scan', dpi: 216, remove_watermark: 1, pdf_pwd: 'pw' },
		});
		expect(retries()[0].auth).toMatchObject({ mode: 'signature', valid: true });
		expect(env.emulator.tasks()[0].parserParams).toMatchObject({ parse_mode: 'scan', dpi: 216 });
	});

	test.each([
		['split', 'a split part'],
		['crop', 'a cropped image'],
	])('a %s child task is refused, naming the parent to retry instead', async (kind, words) => {
		const seeded = await seedUpload(env.emulator, [`${kind}.pdf`], { [`${kind}_flag`]: 'true' });
		env.emulator.finishAll();
		const parent = (await rawFetch(env.emulator, { batch_number: seeded.batch_number })).files[0] as {
			task_id: string;
			child_files: Array<{ task_id: string }>;
		};
		const childId = parent.child_files[0].task_id;
		env.emulator.clearRequests();

		const result = await runDocflow({
			parameters: retryParameters(childId),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toBe(
			`Task ${childId} is ${words} of parent task ${parent.task_id}; DocFlow cannot retry child tasks [item 0]`,
		);
		expect(result.error?.description).toBe(
			`Retry the parent task ${parent.task_id} instead: it processes the whole file again, this part included.`,
		);
		expect(retries()).toHaveLength(0);
	});

	test('a task still in progress is refused with its status', async () => {
		env.emulator.setStepMs(60_000);
		const seeded = await seedUpload(env.emulator, ['slow.pdf']);
		const taskId = seeded.files[0].task_id;
		const result = await runDocflow({
			parameters: retryParameters(taskId),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(
			new RegExp(`^Task ${taskId} is still being processed \\((Preparing|Parsing)\\); only tasks whose extraction succeeded or failed can be retried \\[item 0\\]$`),
		);
		expect(retries()).toHaveLength(0);
	});

	test('an unknown task, an empty Task ID, and an object where the ID belongs', async () => {
		let result = await runDocflow({
			parameters: retryParameters('123'),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toBe(`Task 123 was not found in workspace ${WORKSPACE_ID} [item 0]`);

		result = await runDocflow({ parameters: retryParameters('  '), credentials: credentialFor(env.emulator) });
		expect(result.error?.message).toBe('Task ID is empty [item 0]');

		result = await runDocflow({
			parameters: retryParameters('={{ $json.task }}'),
			credentials: credentialFor(env.emulator),
			items: [{ json: { task: { id: '1' } } }],
		});
		expect(result.error?.message).toMatch(/^Task ID must be one value, but it is an object \[item 0\]$/);
		expect(retries()).toHaveLength(0);
	});

	test('DocFlow’s own refusal is reported when the task changes under our feet', async () => {
		const seeded = await seedUpload(env.emulator, ['a.pdf']);
		env.emulator.finishAll();
		env.emulator.injectFault({ path: 'file/retry', kind: 'business', code: 40006, msg: '任务处理中，暂不支持重试' });
		const result = await runDocflow({
			parameters: retryParameters(seeded.files[0].task_id),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow refused the request to file\/retry \(DocFlow code 40006, “任务处理中，暂不支持重试”/);
	});

	test('Continue On Fail: each item’s result or error on its own paired output', async () => {
		const seeded = await seedUpload(env.emulator, ['bad-fail.pdf', 'ok.pdf']);
		env.emulator.finishAll();
		const result = await runDocflow({
			parameters: retryParameters('={{ $json.task }}'),
			credentials: credentialFor(env.emulator),
			items: [
				{ json: { task: seeded.files[0].task_id } },
				{ json: { task: '404' } },
				{ json: { task: seeded.files[1].task_id } },
			],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.pairedItem, i.json.retried ?? i.json.error])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, `Task 404 was not found in workspace ${WORKSPACE_ID} [item 1]`],
			[{ item: 2 }, true],
		]);
		expect(result.items[1].json).toMatchObject({ workspace_id: WORKSPACE_ID, task_id: '404' });
		expect(retries()).toHaveLength(2);
	});
});

describe('File → Retry is never sent twice, and never for a task DocFlow will not retry', () => {
	test('a lost answer to file/retry: taken as arrived while the task runs again; when the task is already final again, not resent but “may have been applied”, naming the task', async () => {
		const seeded = await seedUpload(env.emulator, ['slow-docflow.pdf', 'fast-docflow.pdf']);
		env.emulator.finishAll();
		const [slow, fast] = seeded.files.map((f) => f.task_id);

		// DocFlow still processing the retried task when the node looks: the retry arrived.
		env.emulator.setStepMs(60_000);
		env.emulator.injectFault({ path: 'file/retry', kind: 'reset-after' });
		let result = await runDocflow({ parameters: retryParameters(slow), credentials: credentialFor(env.emulator) });
		expect(result.error).toBeUndefined();
		expect(retries()).toHaveLength(1);
		expect(result.items.map((i) => [i.json.task_id, i.json.retried])).toEqual([[slow, true]]);
		expect(env.emulator.tasks().find((t) => t.taskId === slow)?.attempts).toBe(2);

		// DocFlow so fast that the retried task is final again before the node looks (every
		// look-up moves DocFlow's clock a minute on): the node cannot tell, so it does not resend.
		env.emulator.clearRequests();
		env.emulator.setStepMs(50);
		env.emulator.setAdvancePerFetch(60_000);
		env.emulator.injectFault({ path: 'file/retry', kind: 'reset-after' });
		result = await runDocflow({ parameters: retryParameters(fast), credentials: credentialFor(env.emulator) });
		expect(result.error?.message).toBe(`The retry of task ${fast} may have been applied: DocFlow’s answer got lost [item 0]`);
		expect(result.error?.description).toMatch(new RegExp(`did not send it again .*Check task ${fast} with Fetch Batch`));
		expect(retries()).toHaveLength(1);
		expect(retries()[0].fault).toBe('reset-after');
		expect(env.emulator.tasks().find((t) => t.taskId === fast)?.attempts).toBe(2);
	});

	test('a classify-only task (recognition_status 10) is refused before sending, saying why and what to do', async () => {
		const uploaded = await runDocflow({
			parameters: {
				resource: 'file',
				operation: 'upload',
				workspace: workspace(),
				options: { targetProcess: 'classify' },
			},
			credentials: credentialFor(env.emulator),
			items: [{ binary: { data: { data: sample('simple.pdf'), fileName: 'classify-me.pdf', mimeType: 'application/pdf' } } }],
		});
		expect(uploaded.error).toBeUndefined();
		const taskId = uploaded.items[0].json.task_id as string;
		env.emulator.finishAll();
		expect((await rawFetch(env.emulator, { task_id: taskId })).files[0].recognition_status).toBe(10);
		env.emulator.clearRequests();

		const result = await runDocflow({ parameters: retryParameters(taskId), credentials: credentialFor(env.emulator) });
		expect(result.error?.message).toBe(
			`Task ${taskId} was only classified (Target Process “Classify Only”); DocFlow retries only tasks whose extraction succeeded or failed [item 0]`,
		);
		expect(result.error?.description).toBe(
			'To extract its fields, upload the document again with Target Process “Classify and Extract”.',
		);
		expect(retries()).toHaveLength(0);
		expect(env.emulator.tasks()[0].attempts).toBe(1);
	});
});
