import { loadOptionsContext, runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, rawFetch, sample, seedUpload, useEmulator, workspace } from '../../../../harness/fixtures.ts';

const env = useEmulator();

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const extractParameters = (taskId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'extractFields',
	workspace: workspace(),
	task: byId(taskId),
	...extra,
});

const extractions = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/extract_fields'));
const wire = () => env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]}`);

async function finishedTask(name = 'invoice.pdf', query: Record<string, string> = {}) {
	const seeded = await seedUpload(env.emulator, [name], query);
	env.emulator.finishAll();
	env.emulator.clearRequests();
	return { taskId: seeded.files[0].task_id, fileId: seeded.files[0].id, batch: seeded.batch_number };
}

describe('File → Extract Fields', () => {
	test('fields and table columns, with prompts and models, on the wire; the output is DocFlow’s answer (the complete result), simplified', async () => {
		const { taskId, fileId } = await finishedTask();
		const result = await runDocflow({
			parameters: extractParameters(taskId, {
				fields: {
					field: [
						{ key: 'Invoice Date', prompt: 'Only the year', extractModel: '' },
						{ key: 'Due Date', prompt: 'The payment due date', extractModel: 'DF-M1' },
					],
				},
				tables: {
					table: [
						{
							name: 'Goods Details',
							extractModel: 'Acgpt-VL',
							columns: { column: [{ key: 'Quantity', prompt: '' }, { key: 'Unit', prompt: 'unit of measure' }] },
						},
					],
				},
			}),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(wire()).toEqual(['GET file/fetch', 'POST file/extract_fields']);
		expect(extractions()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			task_id: taskId,
			fields: [
				{ key: 'Invoice Date', prompt: 'Only the year' },
				{ key: 'Due Date', prompt: 'The payment due date', extract_model: 'DF-M1' },
			],
			tables: [{ name: 'Goods Details', extract_model: 'Acgpt-VL', fields: [{ key: 'Quantity' }, { key: 'Unit', prompt: 'unit of measure' }] }],
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const json = result.items[0].json as any;
		expect(json).toMatchObject({ workspace_id: WORKSPACE_ID, file_id: fileId, task_id: taskId, status: 'success' });
		// configured fields by the configuration (prompt ignored), new ones by the prompt
		expect(json.fields['Invoice Date']).toBe('2024-03-15');
		expect(json.fields['Due Date']).toBe('Due Date (extracted: The payment due date)');
		expect(json.fields['Invoice Number']).toBe('28737000');
		expect(json.tables['Goods Details'][1]).toEqual({
			'Goods and Services Name': '＊Mechanical Computer＊Supercomputer Host',
			'Specification Model': 'AN/FSQ-7',
			Quantity: '1',
			Amount: '1300.00',
			Unit: 'Unit 2 (extracted: unit of measure)',
		});
		// DocFlow keeps it
		const [after] = (await rawFetch(env.emulator, { task_id: taskId })).files as any[];
		expect(after.data.fields.map((f: any) => f.key)).toContain('Due Date');
	});

	test('raw output: DocFlow’s file object as the answer holds it; a corrected value comes back from the configuration', async () => {
		const { taskId, fileId } = await finishedTask();
		await runDocflow({
			parameters: { resource: 'file', operation: 'updateResult', workspace: workspace(), file: byId(fileId), changes: { field: [{ name: 'Invoice Number', value: 'typo' }] } },
			credentials: credentialFor(env.emulator),
		});
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: extractParameters(taskId, { fields: { field: [{ key: 'Invoice Number', prompt: 'ignored', extractModel: 'Auto' }] }, simplify: false }),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(extractions()[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			task_id: taskId,
			fields: [{ key: 'Invoice Number', prompt: 'ignored', extract_model: 'Auto' }],
		});
		const raw = result.items[0].json as any;
		expect(raw).toMatchObject({ id: fileId, task_id: taskId, recognition_status: 1 });
		expect(raw.data.fields.find((f: any) => f.key === 'Invoice Number').value).toBe('28737000');
	});

	test('a split part has its own task; a failed task (status 2) can be extracted too', async () => {
		const split = await finishedTask('pack.pdf', { split_flag: 'true' });
		const [parent] = (await rawFetch(env.emulator, { batch_number: split.batch })).files as any[];
		const part = parent.child_files[0].task_id;
		const failed = await finishedTask('will-fail.pdf');
		const result = await runDocflow({
			parameters: extractParameters('={{ $json.task }}', { fields: { field: [{ key: 'Note' }] } }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { task: part } }, { json: { task: failed.taskId } }],
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(extractions().map((e) => (e.json as any).task_id)).toEqual([part, failed.taskId]);
		expect(result.items[0].json).toMatchObject({ task_id: part, fields: { Note: 'Note (extracted)' } });
		expect(result.items[1].json).toMatchObject({ task_id: failed.taskId, status: 'failed' });
	});

	test('a lost answer: a new field that is there now proves the extraction ran (not sent again; the result read back)', async () => {
		const { taskId } = await finishedTask();
		env.emulator.injectFault({ path: 'file/extract_fields', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: extractParameters(taskId, { fields: { field: [{ key: 'Due Date', prompt: 'due' }] } }),
			credentials: credentialFor(env.emulator),
			typeVersion: 1.1,
		});
		expect(result.error).toBeUndefined();
		expect(wire()).toEqual(['GET file/fetch', 'POST file/extract_fields', 'GET file/fetch', 'GET file/fetch']);
		expect(result.items[0].json).toMatchObject({ task_id: taskId, fields: { 'Due Date': 'Due Date (extracted: due)' } });
	});

	test('a lost answer when only existing fields were asked for: the node cannot tell, and does not send it again', async () => {
		const { taskId } = await finishedTask();
		env.emulator.injectFault({ path: 'file/extract_fields', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: extractParameters(taskId, { fields: { field: [{ key: 'Invoice Date' }] } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toBe(`The extraction of task ${taskId} may have run: DocFlow’s answer got lost [item 0]`);
		expect(result.error?.description).toMatch(/did not send it again: each extraction runs the models anew\. Check task \d+ with Fetch Batch/);
		expect(extractions()).toHaveLength(1);
	});

	test('DocFlow’s refusal comes back with its code and message', async () => {
		const { taskId } = await finishedTask();
		env.emulator.injectFault({ path: 'file/extract_fields', kind: 'business', code: 40006, msg: '任务未完成抽取，暂不支持抽取指定字段' });
		const result = await runDocflow({
			parameters: extractParameters(taskId, { fields: { field: [{ key: 'Invoice Date' }] } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow refused the request to file\/extract_fields \(DocFlow code 40006, “任务未完成抽取，暂不支持抽取指定字段”/);
	});
});

describe('File → Extract Fields: bad input is refused before anything is extracted', () => {
	const field = (key: unknown, extra: Record<string, unknown> = {}) => ({ key, prompt: '', extractModel: '', ...extra });
	const prepareErrors: Array<[string, Record<string, unknown>, string]> = [
		['nothing to extract', {}, 'Nothing to extract: no field and no table column is given [item 1]'],
		['a field without a name', { fields: { field: [field('  ')] } }, 'A field has no name [item 1]'],
		['a field listed twice', { fields: { field: [field('A'), field('A')] } }, 'The field “A” is listed twice [item 1]'],
		['a table without columns', { tables: { table: [{ name: 'Goods Details', extractModel: '', columns: {} }] } }, 'Table “Goods Details” has no column to extract [item 1]'],
		[
			'a column listed twice',
			{ tables: { table: [{ name: 'T', extractModel: '', columns: { column: [{ key: 'A' }, { key: 'A' }] } }] } },
			'Column “A” of table “T” is listed twice [item 1]',
		],
		[
			'a model DocFlow does not have',
			{ fields: { field: [field('A', { extractModel: '={{ "GPT-9" }}' })] } },
			'The extraction model of field “A” is “GPT-9”, which DocFlow does not have [item 1]',
		],
		['a prompt that is a list', { fields: { field: [field('A', { prompt: '={{ [1] }}' })] } }, 'The prompt of “A” must be text, but it is a list [item 1]'],
	];

	test.each(prepareErrors)('%s', async (_label, parameters, message) => {
		const { taskId } = await finishedTask();
		const result = await runDocflow({
			parameters: extractParameters(taskId, parameters),
			credentials: credentialFor(env.emulator),
			items: [{ json: {} }, { json: {} }],
		});
		// both items carry the same bad parameters; the first is reported, and nothing is sent
		expect(result.error?.message).toBe(message.replace('[item 1]', '[item 0]'));
		expect(result.error?.description).toBeTruthy();
		expect(env.emulator.requests).toHaveLength(0);
	});

	test.each([
		['unknown', async () => '404', /^Task 404 was not found in workspace 1234567890 \[item 1\]$/],
		[
			'a split parent (the error names its parts)',
			async () => (await finishedTask('pack.pdf', { split_flag: 'true' })).taskId,
			/^Task \d+ is a split or crop parent: its parts hold the extracted results \[item 1\]$/,
		],
		[
			'still being processed',
			async () => {
				env.emulator.setStepMs(60_000);
				return (await seedUpload(env.emulator, ['slow.pdf'])).files[0].task_id;
			},
			/^Task \d+ is still being processed \((Preparing|Parsing)\); Extract Fields needs a finished one \[item 1\]$/,
		],
		[
			'only classified',
			async () => {
				const uploaded = await runDocflow({
					parameters: { resource: 'file', operation: 'upload', workspace: workspace(), options: { targetProcess: 'classify' } },
					credentials: credentialFor(env.emulator),
					items: [{ binary: { data: { data: sample('simple.pdf'), fileName: 'classify-me.pdf', mimeType: 'application/pdf' } } }],
				});
				env.emulator.finishAll();
				return uploaded.items[0].json.task_id as string;
			},
			/^Task \d+ was only classified \(Target Process “Classify Only”\): it has no extracted result \[item 1\]$/,
		],
	])('a task that is %s: item 0 is not extracted either', async (label, seed, message) => {
		const good = await finishedTask('good.pdf');
		const taskId = await seed();
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: extractParameters('={{ $json.task }}', { fields: { field: [field('Invoice Date')] } }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { task: good.taskId } }, { json: { task: taskId } }],
		});
		expect(result.error?.message).toMatch(message);
		if (label.startsWith('a split')) expect(result.error?.description).toMatch(/^Run Extract Fields on a part instead: task IDs \d+ \(pack_1\.pdf\), \d+ \(pack_2\.pdf\)\.$/);
		expect(extractions()).toHaveLength(0);
	});

	test('a table the file does not have (the error lists its tables)', async () => {
		const { taskId } = await finishedTask();
		const result = await runDocflow({
			parameters: extractParameters(taskId, { tables: { table: [{ name: 'Goods', extractModel: '', columns: { column: [{ key: 'A' }] } }] } }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toBe(`Task ${taskId} has no table “Goods”; its tables are “Goods Details”, “Tax Summary” [item 0]`);
		expect(extractions()).toHaveLength(0);
	});

	test.each([['continueRegularOutput'], ['continueErrorOutput']] as const)(
		'Continue On Fail (%s): the bad item fails on its own output, the others are extracted',
		async (onError) => {
			const a = await finishedTask('a.pdf');
			const b = await finishedTask('b.pdf');
			const result = await runDocflow({
				parameters: extractParameters('={{ $json.task }}', { fields: { field: [field('={{ $json.key }}')] } }),
				credentials: credentialFor(env.emulator),
				items: [
					{ json: { task: a.taskId, key: 'Due Date' } },
					{ json: { task: '404', key: 'Due Date' } },
					{ json: { task: b.taskId, key: '' } },
					{ json: { task: b.taskId, key: 'Due Date' } },
				],
				onError,
				typeVersion: 1.1,
			});
			expect(result.error).toBeUndefined();
			expect(extractions().map((e) => (e.json as any).task_id)).toEqual([a.taskId, b.taskId]);
			const errors = onError === 'continueErrorOutput' ? result.errorItems : result.items.filter((i) => i.json.error);
			const good = onError === 'continueErrorOutput' ? result.items : result.items.filter((i) => !i.json.error);
			expect(good.map((i) => [i.pairedItem, i.json.task_id, (i.json.fields as any)['Due Date']])).toEqual([
				[{ item: 0 }, a.taskId, 'Due Date (extracted)'],
				[{ item: 3 }, b.taskId, 'Due Date (extracted)'],
			]);
			const messages = errors.map((i) => [i.pairedItem, onError === 'continueErrorOutput' ? (i.json.error as any).message : i.json.error]);
			expect(messages).toEqual([
				[{ item: 1 }, `Task 404 was not found in workspace ${WORKSPACE_ID} [item 1]`],
				[{ item: 2 }, 'A field has no name [item 2]'],
			]);
			const known = onError === 'continueErrorOutput' ? (errors[0].json.error as any) : errors[0].json;
			expect(known).toMatchObject({ workspace_id: WORKSPACE_ID, task_id: '404' });
		},
	);
});

describe('File → Extract Fields: the Task picker', () => {
	test('From List: the workspace’s files by name, valued by task ID (a split part by its own), searchable', async () => {
		const seeded = await seedUpload(env.emulator, ['invoice-a.pdf', 'receipt-b.pdf']);
		const split = await seedUpload(env.emulator, ['pack.pdf'], { split_flag: 'true' });
		env.emulator.finishAll();
		const [pack] = (await rawFetch(env.emulator, { batch_number: split.batch_number })).files as any[];
		env.emulator.clearRequests();
		const { context, nodeType } = await loadOptionsContext(extractParameters(''), credentialFor(env.emulator), 'parameters.task');
		const all = await nodeType.methods.listSearch.searchTasks.call(context);
		expect(all.results.map((r) => [r.name, r.value])).toEqual([
			['invoice-a.pdf', seeded.files[0].task_id],
			['receipt-b.pdf', seeded.files[1].task_id],
			['pack.pdf', pack.task_id],
			['pack.pdf › pack_1.pdf', pack.child_files[0].task_id],
			['pack.pdf › pack_2.pdf', pack.child_files[1].task_id],
		]);
		expect(all.results[1].description).toMatch(/^receipt · success · batch \d+$/);
		expect(all.paginationToken).toBeUndefined();
		const byName = await nodeType.methods.listSearch.searchTasks.call(context, 'pack_2');
		expect(byName.results.map((r) => r.value)).toEqual([pack.child_files[1].task_id]);
		const byId = await nodeType.methods.listSearch.searchTasks.call(context, seeded.files[0].task_id);
		expect(byId.results.map((r) => r.name)).toEqual(['invoice-a.pdf']);
	});
});
