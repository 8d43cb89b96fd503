import type { IDataObject } from 'n8n-workflow';

import { runDocflow } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, rawFetch, seedUpload, useEmulator, workspace } from '../../../../harness/fixtures.ts';

const env = useEmulator();

const deleteParameters = (extra: Record<string, unknown>) => ({
	resource: 'file',
	operation: 'delete',
	workspace: workspace(),
	...extra,
});

const deletes = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/delete'));
const names = async () => (await rawFetch(env.emulator, {})).files.map((f) => f.name).sort();
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('File → Delete', () => {
	test('by batch numbers (comma-separated): one request, the files gone from file/fetch, the answer’s count in the output', async () => {
		const a = await seedUpload(env.emulator, ['a1.pdf', 'a2.pdf']);
		const b = await seedUpload(env.emulator, ['b.pdf']);
		await seedUpload(env.emulator, ['keep.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy: 'batchNumber', batchNumbers: `${a.batch_number}, ${b.batch_number}\n${a.batch_number}` }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]}`)).toEqual(['POST file/delete']);
		expect(deletes()[0].json).toEqual({ workspace_id: WORKSPACE_ID, batch_number: [a.batch_number, b.batch_number] });
		expect(result.items).toEqual([
			{
				json: { workspace_id: WORKSPACE_ID, batch_number: [a.batch_number, b.batch_number], deleted: true, deleted_count: 3 },
				pairedItem: { item: 0 },
			},
		]);
		expect(await names()).toEqual(['keep.pdf']);
	});

	test.each([
		['taskId', 'taskIds', 'task_id'],
		['fileId', 'fileIds', 'file_id'],
	] as const)('by %s: a list from an expression; a split parent goes with its parts', async (deleteBy, parameter, body) => {
		const seeded = await seedUpload(env.emulator, ['one.pdf', 'two.pdf', 'three.pdf']);
		const split = await seedUpload(env.emulator, ['pack.pdf'], { split_flag: 'true' });
		env.emulator.finishAll();
		const ids = [seeded.files[0], split.files[0]].map((f) => (body === 'task_id' ? f.task_id : f.id));
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy, [parameter]: '={{ $json.ids }}' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { ids } }],
		});
		expect(result.error).toBeUndefined();
		expect(deletes()[0].json).toEqual({ workspace_id: WORKSPACE_ID, [body]: ids });
		expect(result.items[0].json).toEqual({ workspace_id: WORKSPACE_ID, [body]: ids, deleted: true, deleted_count: 2 });
		expect(await names()).toEqual(['three.pdf', 'two.pdf']);
		expect(env.emulator.tasks().map((t) => t.name).sort()).toEqual(['three.pdf', 'two.pdf']);
	});

	test('by updated time range: epoch seconds, both ends; only files updated inside it go', async () => {
		await seedUpload(env.emulator, ['old.pdf']);
		env.emulator.finishAll();
		env.emulator.advance(3_600_000);
		await seedUpload(env.emulator, ['new.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		const now = env.emulator.now();
		const after = iso(now - 60_000);
		const before = iso(now + 60_000);
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy: 'timeRange', updatedAfter: after, updatedBefore: before }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const start = Date.parse(after) / 1000;
		const end = Date.parse(before) / 1000;
		expect(deletes()[0].json).toEqual({ workspace_id: WORKSPACE_ID, start_time: start, end_time: end });
		expect(result.items[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			start_time: start,
			end_time: end,
			updated_after: after,
			updated_before: before,
			deleted: true,
			deleted_count: 1,
		});
		expect(await names()).toEqual(['old.pdf']);
	});

	test('nothing matching: deleted_count 0', async () => {
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy: 'fileId', fileIds: '404' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.items[0].json).toMatchObject({ deleted: true, deleted_count: 0 });
	});

	test('a lost answer: the files are gone, so the delete arrived (not sent again, count unknown)', async () => {
		const a = await seedUpload(env.emulator, ['a.pdf', 'b.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/delete', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy: 'batchNumber', batchNumbers: a.batch_number }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(deletes()).toHaveLength(1);
		expect(env.emulator.requests.map((r) => `${r.method} ${r.path.split('/v2/')[1]} ${r.query.batch_number ?? ''}`.trim())).toEqual([
			'POST file/delete',
			`GET file/fetch ${a.batch_number}`,
		]);
		expect(result.items[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			batch_number: [a.batch_number],
			deleted: true,
			deleted_count: null,
			note: 'DocFlow’s answer got lost; the node checked that the files are gone',
		});
	});

	test('a lost answer before DocFlow deleted anything: the files are still there, so it is sent again', async () => {
		const a = await seedUpload(env.emulator, ['a.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		// a gateway error in front of DocFlow: the request may or may not have arrived (here: not)
		env.emulator.injectFault({ path: 'file/delete', kind: 'status', status: 502 });
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy: 'taskId', taskIds: a.files[0].task_id }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		expect(deletes().map((d) => d.status)).toEqual([502, 200]);
		expect(env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'))).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ deleted: true, deleted_count: 1 });
		expect(await names()).toEqual([]);
	});

	test('a lost answer to a time-range delete is checked with the same range', async () => {
		await seedUpload(env.emulator, ['a.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		const now = env.emulator.now();
		env.emulator.injectFault({ path: 'file/delete', kind: 'reset-after' });
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy: 'timeRange', updatedAfter: iso(now - 60_000), updatedBefore: iso(now + 60_000) }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error).toBeUndefined();
		const check = env.emulator.requests.find((r) => r.path.endsWith('/file/fetch'));
		expect(check?.query).toMatchObject({ start_time: iso(now - 60_000), end_time: iso(now + 60_000) });
		expect(result.items[0].json).toMatchObject({ deleted: true, deleted_count: null });
	});

	test('DocFlow’s refusal (unknown workspace) comes back with its code and message', async () => {
		const result = await runDocflow({
			parameters: deleteParameters({ workspace: workspace('404'), deleteBy: 'batchNumber', batchNumbers: '1' }),
			credentials: credentialFor(env.emulator),
		});
		expect(result.error?.message).toMatch(/^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”/);
	});
});

describe('File → Delete: bad input is refused before anything is deleted', () => {
	const bad: Array<[string, Record<string, unknown>, IDataObject, string]> = [
		['an empty list of batch numbers', { deleteBy: 'batchNumber', batchNumbers: '={{ $json.v }}' }, { v: ' , ' }, 'Batch Numbers is empty [item 1]'],
		['an object where IDs belong', { deleteBy: 'taskId', taskIds: '={{ $json.v }}' }, { v: { id: 1 } }, 'Task IDs must be IDs, but one of them is an object [item 1]'],
		['something that is not an ID', { deleteBy: 'fileId', fileIds: '={{ $json.v }}' }, { v: '123, abc/def' }, 'File IDs: “abc/def” is not a file ID [item 1]'],
		[
			'an ID rounded by JavaScript',
			{ deleteBy: 'fileId', fileIds: '={{ $json.v }}' },
			{ v: [1978297792124661760] },
			'File IDs: 1978297792124661800 is a number too large to be exact [item 1]',
		],
		[
			'an empty range',
			{ deleteBy: 'timeRange', updatedAfter: '={{ $json.v }}', updatedBefore: '={{ $json.v }}' },
			{ v: '' },
			'Updated After and Updated Before are empty: the node does not delete by an open-ended time range [item 1]',
		],
		[
			'an open-ended range',
			{ deleteBy: 'timeRange', updatedAfter: '={{ $json.v }}', updatedBefore: '2024-01-01T00:00:00Z' },
			{ v: '' },
			'Updated After is empty: the node does not delete by an open-ended time range [item 1]',
		],
		[
			'a reversed range',
			{ deleteBy: 'timeRange', updatedAfter: '={{ $json.v }}', updatedBefore: '2024-01-01T00:00:00Z' },
			{ v: '2024-02-01T00:00:00Z' },
			'Updated After (2024-02-01T00:00:00Z) is later than Updated Before (2024-01-01T00:00:00Z) [item 1]',
		],
		[
			'a time that is not a date',
			{ deleteBy: 'timeRange', updatedAfter: '={{ $json.v }}', updatedBefore: '2024-01-01T00:00:00Z' },
			{ v: 'yesterday' },
			'Updated After is not a date and time: “yesterday” [item 1]',
		],
	];

	test.each(bad)('%s: no item deletes anything', async (_label, parameters, json, message) => {
		await seedUpload(env.emulator, ['a.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		// item 0 alone would be fine: it is the bad item 1 that stops the node, before any request
		const good = { v: parameters.deleteBy === 'timeRange' ? '2023-01-01T00:00:00Z' : '123' };
		const result = await runDocflow({
			parameters: deleteParameters(parameters),
			credentials: credentialFor(env.emulator),
			items: [{ json: good }, { json }],
		});
		expect(result.error?.message).toBe(message);
		expect(result.error?.description).toBeTruthy();
		expect(env.emulator.requests).toHaveLength(0);
		expect(await names()).toEqual(['a.pdf']);
	});

	test.each([
		['continueRegularOutput'],
		['continueErrorOutput'],
	] as const)('Continue On Fail (%s): the bad item fails on its own output, the others delete', async (onError) => {
		const a = await seedUpload(env.emulator, ['a.pdf']);
		const b = await seedUpload(env.emulator, ['b.pdf']);
		env.emulator.finishAll();
		env.emulator.clearRequests();
		const result = await runDocflow({
			parameters: deleteParameters({ deleteBy: 'batchNumber', batchNumbers: '={{ $json.v }}' }),
			credentials: credentialFor(env.emulator),
			items: [{ json: { v: a.batch_number } }, { json: { v: '' } }, { json: { v: b.batch_number } }],
			onError,
		});
		expect(result.error).toBeUndefined();
		expect(deletes()).toHaveLength(2);
		const errors = onError === 'continueErrorOutput' ? result.errorItems : result.items.filter((i) => i.json.error);
		const good = onError === 'continueErrorOutput' ? result.items : result.items.filter((i) => !i.json.error);
		expect(good.map((i) => [i.pairedItem, i.json.batch_number, i.json.deleted_count])).toEqual([
			[{ item: 0 }, [a.batch_number], 1],
			[{ item: 2 }, [b.batch_number], 1],
		]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		const error = onError === 'continueErrorOutput' ? (errors[0].json.error as Record<string, unknown>) : errors[0].json;
		expect(onError === 'continueErrorOutput' ? error.message : error.error).toBe('Batch Numbers is empty [item 1]');
		expect(await names()).toEqual([]);
	});
});
