// The emulator's result endpoints: file/update, file/amend_category, file/extract_fields, file/delete.
import type { DocflowEmulator } from './index.ts';
import { WS, fakePdf, form } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started), { stepMs: 1000 });
const post = (endpoint: string, json: unknown) => api('POST', endpoint, { json });
const fetchFiles = async (query: Record<string, string | number | boolean> = {}) => {
	const r = await api('GET', 'file/fetch', { query: { workspace_id: WS, ...query } });
	expect(r.json.code).toBe(200);
	return r.json.result as { total: number; files: any[] };
};
const upload = async (name: string, query: Record<string, string | number | boolean> = {}) => {
	const r = await api('POST', 'file/upload', { query: { workspace_id: WS, ...query }, form: form([{ name, data: fakePdf(name) }]) });
	expect(r.json.code).toBe(200);
	return r.json.result as { batch_number: string; files: Array<{ id: string; task_id: string; name: string }> };
};
const one = async (query: Record<string, string>) => (await fetchFiles(query)).files[0];
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('file/update', () => {
	test('a FULL update: fields sent replace the result, fields left out are deleted, rows too; the update time moves', async () => {
		const { files } = await upload('invoice.pdf');
		emu.finishAll();
		const before = await one({ file_id: files[0].id });
		const finishedAt = emu.now();
		emu.advance(60_000);
		const r = await post('file/update', [
			{
				workspace_id: WS,
				file_id: files[0].id,
				data: {
					fields: [
						{ key: 'Invoice Number', value: '99999999', position: before.data.fields[1].position },
						{ key: 'Total Amount', value: '1.00' },
					],
					items: [[{ key: 'Goods and Services Name', value: 'Pen' }, { key: 'Amount', value: '1.00' }]],
				},
			},
		]);
		expect(r.json).toMatchObject({ code: 200, msg: 'success', result: { files: [{ workspace_id: WS, id: files[0].id }] } });
		const after = await one({ file_id: files[0].id });
		expect(after.data.fields).toEqual([
			{ key: 'Invoice Number', identifier: 'invoice_number', value: '99999999', position: before.data.fields[1].position, extractModel: 'Acgpt', configModel: 'Acgpt' },
			{ key: 'Total Amount', identifier: 'total_amount', value: '1.00', position: [], extractModel: 'Acgpt', configModel: 'Acgpt' },
		]);
		expect(after.data.items).toEqual([[{ key: 'Goods and Services Name', value: 'Pen', position: [] }, { key: 'Amount', value: '1.00', position: [] }]]);
		// items mirror the main table; the other tables stay as they were
		expect(after.data.tables[0].tableName).toBe('Goods Details');
		expect(after.data.tables[0].items).toEqual([
			[
				{ key: 'Goods and Services Name', identifier: 'goods_name', value: 'Pen', position: [], index: 0 },
				{ key: 'Amount', identifier: 'amount', value: '1.00', position: [], index: 0 },
			],
		]);
		expect(after.data.tables[1]).toEqual(before.data.tables[1]);
		expect(after.data.stamps).toEqual(before.data.stamps);
		// found by an update-time window after the finish, not by one that ends before the change
		expect((await fetchFiles({ start_time: rfc3339(finishedAt + 30_000) })).total).toBe(1);
		expect((await fetchFiles({ end_time: rfc3339(finishedAt + 30_000) })).total).toBe(0);
	});

	test('several files in one request; every entry is checked before any is applied', async () => {
		const a = (await upload('a-invoice.pdf')).files[0];
		const b = (await upload('b-receipt.pdf')).files[0];
		emu.finishAll();
		const ok = { workspace_id: WS, file_id: a.id, data: { fields: [{ key: 'Remarks', value: 'checked' }] } };
		let r = await post('file/update', [ok, { workspace_id: WS, file_id: '404', data: {} }]);
		expect(r.json).toMatchObject({ code: 40004, msg: 'file not found' });
		expect((await one({ file_id: a.id })).data.fields).toHaveLength(7);
		r = await post('file/update', [ok, { workspace_id: WS, file_id: b.id, data: { fields: [] } }]);
		expect(r.json.result.files).toEqual([
			{ workspace_id: WS, id: a.id },
			{ workspace_id: WS, id: b.id },
		]);
		expect((await one({ file_id: a.id })).data.fields).toEqual([expect.objectContaining({ key: 'Remarks', value: 'checked' })]);
		expect((await one({ file_id: b.id })).data.fields).toEqual([]);
	});

	test('refusals: not an array, missing data, bad field shapes, unknown workspace, file still processing', async () => {
		const { files } = await upload('slow.pdf');
		const cases: Array<[unknown, number, string]> = [
			[{ workspace_id: WS }, 40004, 'request body must be a non-empty array'],
			[[], 40004, 'request body must be a non-empty array'],
			[[{ workspace_id: WS, file_id: files[0].id }], 40004, '[0].data is required'],
			[[{ workspace_id: WS, data: {} }], 40004, '[0].file_id is required'],
			[[{ workspace_id: WS, file_id: files[0].id, data: { fields: {} } }], 40004, 'invalid [0].data.fields: must be an array'],
			[[{ workspace_id: WS, file_id: files[0].id, data: { fields: [{ value: 'x' }] } }], 40004, 'invalid [0].data.fields[0].key: must be a non-empty string'],
			[[{ workspace_id: WS, file_id: files[0].id, data: { fields: [{ key: 'A', value: 5 }] } }], 40004, 'invalid [0].data.fields[0].value: must be a string'],
			[[{ workspace_id: WS, file_id: files[0].id, data: { items: [{}] } }], 40004, 'invalid [0].data.items[0]: must be an array'],
			[[{ workspace_id: '404', file_id: files[0].id, data: {} }], 40004, '工作空间不存在'],
			[[{ workspace_id: WS, file_id: files[0].id, data: {} }], 40006, '文件处理中，暂不支持修改'],
		];
		for (const [body, code, msg] of cases) {
			const r = await post('file/update', body);
			expect([r.status, r.json.code, r.json.msg]).toEqual([200, code, msg]);
		}
		expect(emu.tasks()[0].recognitionStatus).not.toBe(1);
	});

	test('a split part is updated on its own; a retry brings the extracted result back', async () => {
		const { batch_number } = await upload('pack.pdf', { split_flag: true });
		emu.finishAll();
		const parent = await one({ batch_number });
		const part = parent.child_files[0];
		await post('file/update', [{ workspace_id: WS, file_id: part.id, data: { fields: [{ key: 'Invoice Number', value: '1' }] } }]);
		expect((await one({ file_id: part.id })).data.fields).toEqual([expect.objectContaining({ key: 'Invoice Number', value: '1' })]);

		const single = (await upload('single.pdf')).files[0];
		emu.finishAll();
		await post('file/update', [{ workspace_id: WS, file_id: single.id, data: { fields: [] } }]);
		expect((await post('file/retry', { workspace_id: WS, task_id: single.task_id })).json.code).toBe(200);
		emu.finishAll();
		expect((await one({ file_id: single.id })).data.fields).toHaveLength(7);
	});
});

describe('file/amend_category', () => {
	test('a regular task: new category, extracted again (processing, then the new category’s fields)', async () => {
		const { files } = await upload('invoice.pdf');
		emu.finishAll();
		const r = await post('file/amend_category', { workspace_id: WS, task_id: files[0].task_id, category: 'receipt' });
		expect(r.json).toEqual({ code: 200, msg: 'success' });
		const during = await one({ task_id: files[0].task_id });
		expect(during.recognition_status).not.toBe(1);
		expect(during.category).toBe('receipt');
		emu.finishAll();
		const after = await one({ task_id: files[0].task_id });
		expect(after).toMatchObject({ recognition_status: 1, category: 'receipt' });
		expect(after.data.fields.map((f: { key: string }) => f.key)).toContain('Merchant Name');
	});

	test('refusals: category missing, unknown, disabled; split/crop lists on a regular task; child task; processing', async () => {
		const { files } = await upload('invoice.pdf');
		const taskId = files[0].task_id;
		let r = await post('file/amend_category', { workspace_id: WS, task_id: taskId, category: 'receipt' });
		expect(r.json).toMatchObject({ code: 40006, msg: '任务处理中，暂不支持修改类别' });
		emu.finishAll();
		const cases: Array<[Record<string, unknown>, number, string]> = [
			[{ task_id: taskId }, 40004, 'category is required'],
			[{ task_id: taskId, category: 'nope' }, 40004, 'category does not exist: nope'],
			[{ task_id: taskId, category: 'old form' }, 40004, 'category does not exist: old form'],
			[{ task_id: taskId, split_tasks: [] }, 40004, 'split_tasks is only supported for file split parent tasks'],
			[{ task_id: taskId, crop_tasks: [] }, 40004, 'crop_tasks is only supported for multi-image crop parent tasks'],
			[{ task_id: '404', category: 'receipt' }, 40004, 'task not found'],
			[{ category: 'receipt' }, 40004, 'task_id is required'],
		];
		for (const [body, code, msg] of cases) {
			r = await post('file/amend_category', { workspace_id: WS, ...body });
			expect([r.json.code, r.json.msg]).toEqual([code, msg]);
		}
		const { batch_number } = await upload('pack.pdf', { split_flag: true });
		emu.finishAll();
		const child = (await one({ batch_number })).child_files[0];
		r = await post('file/amend_category', { workspace_id: WS, task_id: child.task_id, category: 'receipt' });
		expect(r.json).toMatchObject({ code: 40005, msg: '子任务不支持修改类别，请修改其父任务' });
	});

	test('a split parent: all parts re-cut with their categories and pages; checks pages', async () => {
		const { batch_number, files } = await upload('pack.pdf', { split_flag: true });
		emu.finishAll();
		const before = await one({ batch_number });
		expect(before.child_files).toHaveLength(2);
		const bad = async (split_tasks: unknown, msg: string) => {
			const r = await post('file/amend_category', { workspace_id: WS, task_id: files[0].task_id, split_tasks });
			expect([r.json.code, r.json.msg]).toEqual([40004, msg]);
		};
		await bad([{ category: 'receipt', pages: [2] }], 'invalid split_tasks[0].pages: page 2 is not between 0 and 1');
		await bad([{ category: 'receipt', pages: [0] }, { category: '发票', pages: [0, 1] }], 'invalid split_tasks: page 0 is in more than one part');
		await bad([{ category: 'receipt', pages: [] }], 'invalid split_tasks[0].pages: must be a non-empty array');
		await bad([{ category: 'nope', pages: [0] }], 'category does not exist: nope');
		await bad([], 'invalid split_tasks: must be a non-empty array');
		let r = await post('file/amend_category', { workspace_id: WS, task_id: files[0].task_id, category: 'receipt' });
		expect(r.json.msg).toBe('category is only supported for regular tasks');

		r = await post('file/amend_category', { workspace_id: WS, task_id: files[0].task_id, split_tasks: [{ category: 'contract', pages: [0, 1] }] });
		expect(r.json.code).toBe(200);
		expect((await one({ batch_number })).child_files).toBeUndefined();
		emu.finishAll();
		const after = await one({ batch_number });
		expect(after.child_files).toHaveLength(1);
		expect(after.child_files[0]).toMatchObject({ category: 'contract', task_type: 0, name: 'pack_1.pdf' });
		expect(after.child_files[0].pages.map((p: { page: number }) => p.page)).toEqual([0, 1]);
		expect(after.child_files[0].data.fields[0].key).toBe('Contract Number');
		expect(before.child_files.map((c: { task_id: string }) => c.task_id)).not.toContain(after.child_files[0].task_id);
	});

	test('a crop parent: the named images get their categories', async () => {
		const { batch_number, files } = await upload('photos.pdf', { crop_flag: true });
		emu.finishAll();
		const [first, second] = (await one({ batch_number })).child_files;
		expect(first.category).toBe('发票');
		let r = await post('file/amend_category', { workspace_id: WS, task_id: files[0].task_id, crop_tasks: [{ crop_child_task_id: '404', category: 'receipt' }] });
		expect(r.json.msg).toBe(`invalid crop_tasks[0].crop_child_task_id: 404 is not a cropped image of task ${files[0].task_id}`);
		r = await post('file/amend_category', { workspace_id: WS, task_id: files[0].task_id, split_tasks: [{ category: 'receipt', pages: [0] }] });
		expect(r.json.msg).toBe('split_tasks is only supported for file split parent tasks');
		r = await post('file/amend_category', { workspace_id: WS, task_id: files[0].task_id, crop_tasks: [{ crop_child_task_id: first.task_id, category: 'contract' }] });
		expect(r.json.code).toBe(200);
		emu.finishAll();
		const after = (await one({ batch_number })).child_files;
		expect(after.map((c: { task_id: string; category: string }) => [c.task_id, c.category])).toEqual([
			[first.task_id, 'contract'],
			[second.task_id, second.category],
		]);
	});
});

describe('file/extract_fields', () => {
	test('configured fields come back from the configuration (prompt ignored); new fields use the prompt; answers like file/fetch', async () => {
		const { files } = await upload('invoice.pdf');
		emu.finishAll();
		const { items } = (await one({ file_id: files[0].id })).data;
		await post('file/update', [{ workspace_id: WS, file_id: files[0].id, data: { fields: [{ key: 'Invoice Number', value: 'typo' }], items } }]);
		const r = await post('file/extract_fields', {
			workspace_id: WS,
			task_id: files[0].task_id,
			fields: [
				{ key: 'Invoice Number', prompt: 'ignored for configured fields' },
				{ key: 'Due Date', prompt: 'Only the year', extract_model: 'DF-M1' },
			],
			tables: [{ name: 'Goods Details', extract_model: 'Acgpt-VL', fields: [{ key: 'Quantity' }, { key: 'Unit', prompt: 'unit of measure' }] }],
		});
		expect(r.json).toMatchObject({ code: 200, result: { total: 1, page: 1, files: [{ id: files[0].id, task_id: files[0].task_id }] } });
		const file = r.json.result.files[0];
		expect(file.data.fields).toEqual([
			expect.objectContaining({ key: 'Invoice Number', value: '28737000' }),
			expect.objectContaining({ key: 'Due Date', value: 'Due Date (extracted: Only the year)', extractModel: 'DF-M1' }),
		]);
		const goods = file.data.tables[0];
		expect(goods.extractModel).toBe('Acgpt-VL');
		expect(goods.items[0].map((c: { key: string }) => c.key)).toEqual(['Goods and Services Name', 'Specification Model', 'Quantity', 'Amount', 'Unit']);
		expect(goods.items[1][4]).toMatchObject({ key: 'Unit', value: 'Unit 2 (extracted: unit of measure)' });
		expect(file.data.items[0]).toHaveLength(5);
		expect(await one({ task_id: files[0].task_id })).toEqual(file);
	});

	test('refusals: nothing asked, bad shapes, unknown table and model, parent task, not finished', async () => {
		const { files } = await upload('invoice.pdf');
		const taskId = files[0].task_id;
		let r = await post('file/extract_fields', { workspace_id: WS, task_id: taskId, fields: [{ key: 'A' }] });
		expect(r.json).toMatchObject({ code: 40006, msg: '任务未完成抽取，暂不支持抽取指定字段' });
		emu.finishAll();
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ task_id: taskId }, 'fields or tables is required'],
			[{ task_id: taskId, fields: [{}] }, 'invalid fields[0].key: must be a non-empty string'],
			[{ task_id: taskId, fields: [{ key: 'A', extract_model: 'GPT' }] }, 'invalid fields[0].extract_model: must be one of Auto, Acgpt, Acgpt-VL, DF-M1'],
			[{ task_id: taskId, tables: [{ name: 'Goods Details', fields: [] }] }, 'invalid tables[0].fields: must be a non-empty array'],
			[{ task_id: taskId, tables: [{ name: 'Nope', fields: [{ key: 'A' }] }] }, 'table does not exist: Nope'],
			[{ fields: [{ key: 'A' }] }, 'task_id is required'],
		];
		for (const [body, msg] of cases) {
			r = await post('file/extract_fields', { workspace_id: WS, ...body });
			expect([r.json.code, r.json.msg]).toEqual([40004, msg]);
		}
		const split = await upload('pack.pdf', { split_flag: true });
		emu.finishAll();
		r = await post('file/extract_fields', { workspace_id: WS, task_id: split.files[0].task_id, fields: [{ key: 'A' }] });
		expect(r.json).toMatchObject({ code: 40004, msg: '父任务没有抽取结果，请对其子任务抽取' });
	});
});

describe('file/delete', () => {
	test('by batch numbers, task IDs, file IDs: matching files disappear from file/fetch, parts with their parent', async () => {
		const a = await upload('a.pdf');
		const b = await upload('b.pdf');
		const c = await upload('c.pdf', { split_flag: true });
		const d = await upload('d.pdf');
		emu.finishAll();
		let r = await post('file/delete', { workspace_id: WS, batch_number: [a.batch_number, 'nope'] });
		expect(r.json).toEqual({ code: 200, msg: 'success', result: { deleted_count: 1 } });
		r = await post('file/delete', { workspace_id: WS, task_id: [b.files[0].task_id] });
		expect(r.json.result.deleted_count).toBe(1);
		r = await post('file/delete', { workspace_id: WS, file_id: [c.files[0].id] });
		expect(r.json.result.deleted_count).toBe(1);
		expect((await fetchFiles()).files.map((f) => f.name)).toEqual(['d.pdf']);
		expect(emu.tasks().map((t) => t.name)).toEqual(['d.pdf']);
		r = await post('file/delete', { workspace_id: WS, file_id: [c.files[0].id] });
		expect(r.json.result.deleted_count).toBe(0);
		expect(d.files).toHaveLength(1);
	});

	test('by update-time range (epoch seconds, inclusive); any condition matches', async () => {
		await upload('old.pdf');
		emu.finishAll();
		emu.advance(3_600_000);
		const fresh = await upload('fresh.pdf');
		emu.finishAll();
		const now = Math.floor(emu.now() / 1000);
		let r = await post('file/delete', { workspace_id: WS, start_time: now - 60, end_time: now + 60 });
		expect(r.json.result.deleted_count).toBe(1);
		expect((await fetchFiles()).files.map((f) => f.name)).toEqual(['old.pdf']);
		expect(fresh.files).toHaveLength(1);
		const again = await upload('again.pdf');
		emu.finishAll();
		r = await post('file/delete', { workspace_id: WS, end_time: now - 60, batch_number: [again.batch_number] });
		expect(r.json.result.deleted_count).toBe(2);
		expect((await fetchFiles()).total).toBe(0);
	});

	test('refusals: no condition, lists that are not lists, times that are not epoch seconds, reversed range, workspace', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ workspace_id: WS }, 'at least one of batch_number, task_id, file_id, start_time, end_time is required'],
			[{ workspace_id: WS, batch_number: [] }, 'at least one of batch_number, task_id, file_id, start_time, end_time is required'],
			[{ workspace_id: WS, batch_number: '1' }, 'invalid batch_number: must be an array of strings'],
			[{ workspace_id: WS, task_id: [1] }, 'invalid task_id: must be an array of strings'],
			[{ workspace_id: WS, start_time: '2024-01-01T00:00:00Z' }, 'invalid start_time: must be an epoch timestamp in seconds'],
			[{ workspace_id: WS, end_time: 1.5 }, 'invalid end_time: must be an epoch timestamp in seconds'],
			[{ workspace_id: WS, start_time: 20, end_time: 10 }, 'invalid start_time: must not be after end_time'],
			[{ batch_number: ['1'] }, 'workspace_id is required'],
			[{ workspace_id: '404', batch_number: ['1'] }, '工作空间不存在'],
		];
		for (const [body, msg] of cases) {
			const r = await post('file/delete', body);
			expect([r.json.code, r.json.msg]).toEqual([40004, msg]);
		}
	});
});
