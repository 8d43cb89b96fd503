import type { IDataObject } from 'n8n-workflow';

import { loadOptionsContext, runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, rawFetch, seedUpload, useEmulator, workspace } from '../../../../harness/fixtures.ts';

const env = useEmulator();

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const amendParameters = (taskId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'amendCategory',
	workspace: workspace(),
	task: byId(taskId),
	waitForCompletion: false,
	...extra,
});

const amendments = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/amend_category'));
const wire = () => env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]}`);

async function finished(name: string, query: Record<string, string> = {}) {
	const seeded = await seedUpload(env.emulator, [name], query);
	env.emulator.finishAll();
	const [file] = (await rawFetch(env.emulator, { batch_number: seeded.batch_number })).files as any[];
	env.emulator.clearRequests();
	return { taskId: seeded.files[0].task_id as string, fileId: seeded.files[0].id, batch: seeded.batch_number, file };
}

/** Waits with a short poll, so the re-extraction is seen running (stepMs 300: about 2 s in all). */
const quickWait = { waitForCompletion: true, options: { pollIntervalSeconds: 0.2, timeoutMinutes: 1 } };

describe('File → Amend Category', () => {
	test('a regular task: the task and the workspace’s categories are read, then the new category is sent; the receipt', async () => {
		const { taskId, fileId, batch } = await finished('invoice.pdf');
		const result = await runDocflow({
			parameters: amendParameters(taskId, { category: 'receipt' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(wire()).toEqual(['GET file/fetch', 'GET category/list', 'POST file/amend_category']);
		expect(env.emulator.requests[0].query).toMatchObject({ workspace_id: WORKSPACE_ID, task_id: taskId });
		expect(env.emulator.requests[1].query).toMatchObject({ workspace_id: WORKSPACE_ID, enabled: '1' });
		expect(amendments()[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_id: taskId, category: 'receipt' });
		expect(result.items).toEqual([
			{
				json: {
					workspace_id: WORKSPACE_ID,
					task_id: taskId,
					file_id: fileId,
					batch_number: batch,
					name: 'invoice.pdf',
					previous_category: '发票',
					category: 'receipt',
					amended: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		env.emulator.finishAll();
		const [after] = (await rawFetch(env.emulator, { task_id: taskId })).files as any[];
		expect(after.category).toBe('receipt');
		expect(after.data.fields[0].key).toBe('Merchant Name');
	});

	test('Wait for Completion (the default): the re-extraction is polled per batch and its result comes out, simplified', async () => {
		const { taskId, batch } = await finished('invoice.pdf');
		env.emulator.setStepMs(300);
		const result = await runDocflow({
			parameters: amendParameters(taskId, { category: 'contract', waitForCompletion: undefined, options: quickWait.options }),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			workspace_id: WORKSPACE_ID,
			task_id: taskId,
			category: 'contract',
			status: 'success',
			fields: { 'Contract Number': 'HT-2024-0117' },
		});
		const polls = env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch')).slice(1);
		expect(polls.length).toBeGreaterThan(1);
		for (const poll of polls) expect(poll.query).toMatchObject({ batch_number: batch });
	});

	test('a split parent: every part with its category and pages (pages as people count them, sent from 0); waited for, parts out', async () => {
		const { taskId, batch } = await finished('pack.pdf', { split_flag: 'true' });
		env.emulator.setStepMs(300);
		const result = await runDocflow({
			parameters: amendParameters(taskId, {
				taskType: 'split',
				splitTasks: { part: [{ category: 'contract', pages: '1-2' }] },
				...quickWait,
			}),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(amendments()[0].json).toEqual({ workspace_id: WORKSPACE_ID, task_id: taskId, split_tasks: [{ category: 'contract', pages: [0, 1] }] });
		expect(result.items.map((i) => [i.json.task_type, i.json.category, i.json.file_name])).toEqual([
			['parent', expect.any(String), 'pack.pdf'],
			['split part', 'contract', 'pack_1.pdf'],
		]);
		const [parent] = (await rawFetch(env.emulator, { batch_number: batch })).files as any[];
		expect(parent.child_files[0].pages.map((p: any) => p.page)).toEqual([0, 1]);
	});

	test('a crop parent: the images named get their categories; the receipt lists them', async () => {
		const { taskId, file } = await finished('photos.jpg', { crop_flag: 'true' });
		const [first, second] = file.child_files;
		const result = await runDocflow({
			parameters: amendParameters(taskId, {
				taskType: 'crop',
				cropTasks: { image: [{ taskId: second.task_id, category: 'contract' }] },
			}),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(amendments()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			task_id: taskId,
			crop_tasks: [{ crop_child_task_id: second.task_id, category: 'contract' }],
		});
		expect(result.items[0].json).toMatchObject({ crop_tasks: [{ task_id: second.task_id, category: 'contract' }], amended: true });
		env.emulator.finishAll();
		const [after] = (await rawFetch(env.emulator, { task_id: taskId })).files as any[];
		expect(after.child_files.map((c: any) => [c.task_id, c.category])).toEqual([
			[first.task_id, first.category],
			[second.task_id, 'contract'],
		]);
	});

	test('several items of one workspace read its categories once', async () => {
		const a = await finished('a.pdf');
		const b = await finished('b.pdf');
		const result = await runDocflow({
			parameters: amendParameters('={{ $json.task }}', { category: 'receipt' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { task: a.taskId } }, { json: { task: b.taskId } }],
		});
		expect(result.error).toBeUndefined();
		expect(wire().filter((w) => w.endsWith('category/list'))).toHaveLength(1);
		expect(amendments()).toHaveLength(2);
	});

	test('a lost answer: DocFlow shows the new category (or the task running again), so it arrived: not sent again', async () => {
		const { taskId } = await finished('invoice.pdf');
		env.emulator.injectFault({ path: 'file/amend_category', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: amendParameters(taskId, { category: 'receipt' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(amendments()).toHaveLength(1);
		expect(wire()).toEqual(['GET file/fetch', 'GET category/list', 'POST file/amend_category', 'GET file/fetch']);
		expect(result.items[0].json).toMatchObject({ category: 'receipt', amended: true });
	});

	test('a lost answer before DocFlow acted: the task is exactly as before, so it is sent again', async () => {
		const { taskId } = await finished('invoice.pdf');
		env.emulator.injectFault({ path: 'file/amend_category', kind: 'status', status: 502 });
		const result = await runDocflow({
			parameters: amendParameters(taskId, { category: 'receipt' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(amendments().map((a) => a.status)).toEqual([502, 200]);
		expect((await rawFetch(env.emulator, { task_id: taskId })).files[0].category).toBe('receipt');
	});

	test('DocFlow’s refusal comes back with its code and message', async () => {
		const { taskId } = await finished('invoice.pdf');
		env.emulator.injectFault({ path: 'file/amend_category', kind: 'business', code: 40006, msg: '任务处理中，暂不支持修改类别' });
		const result = await runDocflow({
			parameters: amendParameters(taskId, { category: 'receipt' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow refused the request to file\/amend_category \(DocFlow code 40006, “任务处理中，暂不支持修改类别”/);
	});
});

describe('File → Amend Category: bad input is refused before anything is amended', () => {
	const prepareErrors: Array<[string, Record<string, unknown>, string]> = [
		['an empty category', { category: '={{ $json.nothing }}' }, 'The category to give the file is empty [item 0]'],
		['a split file without parts', { taskType: 'split', splitTasks: {} }, 'No part is given: a split file needs every part listed [item 0]'],
		['pages that are not numbers', { taskType: 'split', splitTasks: { part: [{ category: 'receipt', pages: 'first' }] } }, 'The pages of part 1 are not page numbers: “first” [item 0]'],
		['a reversed page range', { taskType: 'split', splitTasks: { part: [{ category: 'receipt', pages: '3-1' }] } }, 'The pages of part 1 hold an impossible range: “3-1” [item 0]'],
		['page 0', { taskType: 'split', splitTasks: { part: [{ category: 'receipt', pages: '0' }] } }, 'The pages of part 1 hold an impossible range: “0” [item 0]'],
		['no pages', { taskType: 'split', splitTasks: { part: [{ category: 'receipt', pages: ' , ' }] } }, 'The pages of part 1 are empty [item 0]'],
		[
			'a page in two parts',
			{ taskType: 'split', splitTasks: { part: [{ category: 'receipt', pages: '1-2' }, { category: 'contract', pages: '2' }] } },
			'Page 2 is in part 1 and in part 2 [item 0]',
		],
		['a crop file without images', { taskType: 'crop', cropTasks: {} }, 'No image is given [item 0]'],
		['an image without a task ID', { taskType: 'crop', cropTasks: { image: [{ taskId: '={{ "" }}', category: 'receipt' }] } }, 'The task ID of image 1 is empty [item 0]'],
		[
			'an image listed twice',
			{ taskType: 'crop', cropTasks: { image: [{ taskId: '12', category: 'receipt' }, { taskId: '12', category: 'contract' }] } },
			'Image 12 is listed twice [item 0]',
		],
		['an image without a category', { taskType: 'crop', cropTasks: { image: [{ taskId: '12', category: '={{ "" }}' }] } }, 'The category of image 12 is empty [item 0]'],
		['an empty Task ID', { task: byId('={{ $json.nothing }}') }, 'Task ID is empty [item 0]'],
	];

	test.each(prepareErrors)('%s', async (_label, parameters, message) => {
		const { taskId } = await finished('invoice.pdf');
		const result = await runDocflow({
			parameters: amendParameters(taskId, { category: 'receipt', ...parameters }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toBe(message);
		expect(result.error?.description).toBeTruthy();
		expect(env.emulator.requests).toHaveLength(0);
	});

	/** Each case: a good item 0 and a bad item 1 of the same kind, told apart by $json. */
	const checkErrors: Array<[string, () => Promise<{ items: IDataObject[]; parameters: Record<string, unknown> }>, RegExp]> = [
		[
			'a category the workspace does not have (the error lists its categories)',
			async () => {
				const [a, b] = [await finished('a.pdf'), await finished('b.pdf')];
				return { items: [{ task: a.taskId, category: 'receipt' }, { task: b.taskId, category: 'Receipt' }], parameters: { category: '={{ $json.category }}' } };
			},
			/^The workspace has no enabled category “Receipt”; its categories are “发票”, “receipt”, “contract” \[item 1\]$/,
		],
		[
			'a disabled category',
			async () => {
				const [a, b] = [await finished('a.pdf'), await finished('b.pdf')];
				return { items: [{ task: a.taskId, category: 'receipt' }, { task: b.taskId, category: 'old form' }], parameters: { category: '={{ $json.category }}' } };
			},
			/^The workspace has no enabled category “old form”; its categories are/,
		],
		['an unknown task', async () => ({ items: [{ task: (await finished('a.pdf')).taskId }, { task: '404' }], parameters: {} }), /^Task 404 was not found in workspace 1234567890 \[item 1\]$/],
		[
			'a task still being processed',
			async () => {
				const good = await finished('a.pdf');
				env.emulator.setStepMs(60_000);
				return { items: [{ task: good.taskId }, { task: (await seedUpload(env.emulator, ['slow.pdf'])).files[0].task_id }], parameters: {} };
			},
			/^Task \d+ is still being processed \((Preparing|Parsing)\); Amend Category needs a finished one \[item 1\]$/,
		],
		[
			'a split part (the error names its parent)',
			async () => {
				const good = await finished('a.pdf');
				const { file } = await finished('pack.pdf', { split_flag: 'true' });
				return { items: [{ task: good.taskId }, { task: file.child_files[0].task_id }], parameters: {} };
			},
			/^Task \d+ is a split part of task \d+; DocFlow amends the categories of parts through their parent \[item 1\]$/,
		],
		[
			'a split parent amended as a regular task',
			async () => ({ items: [{ task: (await finished('a.pdf')).taskId }, { task: (await finished('pack.pdf', { split_flag: 'true' })).taskId }], parameters: {} }),
			/^Task \d+ is a split parent, but Task Type is “Regular” \[item 1\]$/,
		],
		[
			'a regular task amended as a split parent',
			async () => ({
				items: [{ task: (await finished('pack.pdf', { split_flag: 'true' })).taskId }, { task: (await finished('x.pdf')).taskId }],
				parameters: { taskType: 'split', splitTasks: { part: [{ category: 'receipt', pages: '1' }] } },
			}),
			/^Task \d+ is a regular task, but Task Type is “Split Parent” \[item 1\]$/,
		],
		[
			'a page the file does not have',
			async () => ({
				items: [{ task: (await finished('a.pdf', { split_flag: 'true' })).taskId, pages: '1-2' }, { task: (await finished('b.pdf', { split_flag: 'true' })).taskId, pages: '1-3' }],
				parameters: { taskType: 'split', splitTasks: { part: [{ category: 'receipt', pages: '={{ $json.pages }}' }] } },
			}),
			/^Task \d+ has 2 pages; page 3 does not exist \[item 1\]$/,
		],
		[
			'an image that is not one of the file’s',
			async () => {
				const good = await finished('a.jpg', { crop_flag: 'true' });
				const bad = await finished('photos.jpg', { crop_flag: 'true' });
				return {
					items: [{ task: good.taskId, image: good.file.child_files[0].task_id }, { task: bad.taskId, image: '404' }],
					parameters: { taskType: 'crop', cropTasks: { image: [{ taskId: '={{ $json.image }}', category: 'receipt' }] } },
				};
			},
			/^Task \d+ has no cropped image 404; its images are \d+ \(photos_1\.jpg\), \d+ \(photos_2\.jpg\) \[item 1\]$/,
		],
	];

	test.each(checkErrors)('%s: item 0 is not amended either', async (_label, seed, message) => {
		const { items, parameters } = await seed();
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: amendParameters('={{ $json.task }}', { category: 'receipt', ...parameters }),
			credentials: credentialFor(env.emulator),
			items: items.map((json) => ({ json })),
		});
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toBeTruthy();
		expect(amendments()).toHaveLength(0);
	});

	test.each([['continueRegularOutput'], ['continueErrorOutput']] as const)(
		'Continue On Fail (%s): the bad items fail on their own output, the others are amended',
		async (onError) => {
			const a = await finished('a.pdf');
			const b = await finished('b.pdf');
			const result = await runDocflow({
				parameters: amendParameters('={{ $json.task }}', { category: '={{ $json.category }}' }),
				credentials: credentialFor(env.emulator),
				items: [
					{ json: { task: a.taskId, category: 'receipt' } },
					{ json: { task: b.taskId, category: 'nope' } },
					{ json: { task: b.taskId, category: '' } },
					{ json: { task: b.taskId, category: 'contract' } },
				],
				onError,
			});
			expect(result.error).toBeUndefined();
			expect(amendments().map((r) => (r.json as any).category)).toEqual(['receipt', 'contract']);
			const errors = onError === 'continueErrorOutput' ? result.errorItems : result.items.filter((i) => i.json.error);
			const good = onError === 'continueErrorOutput' ? result.items : result.items.filter((i) => !i.json.error);
			expect(good.map((i) => [i.pairedItem, i.json.task_id, i.json.category])).toEqual([
				[{ item: 0 }, a.taskId, 'receipt'],
				[{ item: 3 }, b.taskId, 'contract'],
			]);
			const messages = errors.map((i) => [i.pairedItem, onError === 'continueErrorOutput' ? (i.json.error as any).message : i.json.error]);
			expect(messages).toEqual([
				[{ item: 1 }, expect.stringMatching(/^The workspace has no enabled category “nope”; its categories are .* \[item 1\]$/)],
				[{ item: 2 }, 'The category to give the file is empty [item 2]'],
			]);
			const known = onError === 'continueErrorOutput' ? (errors[0].json.error as any) : errors[0].json;
			expect(known).toMatchObject({ workspace_id: WORKSPACE_ID, task_id: b.taskId });
		},
	);
});

describe('File → Amend Category: the Category picker', () => {
	test('lists the workspace’s enabled categories by name (what DocFlow’s category takes), without “Let DocFlow Classify”', async () => {
		const { context, nodeType } = await loadOptionsContext(
			amendParameters('1', { workspace: workspace('2234567890') }),
			credentialFor(env.emulator),
			'parameters.category',
		);
		const options = await nodeType.methods.loadOptions.getAssignableCategories.call(context);
		expect(options.map((o) => [o.name, o.value])).toEqual([
			['contract', 'contract'],
			['invoice', 'invoice'],
		]);
		expect(env.emulator.requests.map((r) => [r.path.split('/v2/')[1], r.query.workspace_id, r.query.enabled])).toEqual([
			['category/list', '2234567890', '1'],
		]);
	});
});
