// The emulator's workspace/… endpoints: the spec's validation, state shared with uploads, reset.
import type { DocflowEmulator } from './index.ts';
import { WS, call, fakePdf, form } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started), {
	credentials: [
		{ appId: 'demo-app-id', secretCode: 'demo-secret-code', enterpriseIds: ['1001'] },
		{ appId: 'big-app', secretCode: 'big-secret', enterpriseIds: ['1234567890123456789'] },
	],
});
const create = (body: unknown, o: Parameters<typeof call>[3] = {}) => api('POST', 'workspace/create', { json: body, ...o });
const list = async (query: Record<string, string | number> = {}) => {
	const r = await api('GET', 'workspace/list', { query: { enterprise_id: '1001', ...query } });
	expect(r.json.code).toBe(200);
	return r.json.result as { total: number; page: number; page_size: number; workspaces: Array<Record<string, unknown>> };
};

describe('workspace/create', () => {
	test('creates a workspace that workspace/list, workspace/get and file/upload know; reset() removes it', async () => {
		const r = await create({ name: 'Acme', description: 'Client Acme', enterprise_id: 1001, auth_scope: 0 });
		expect(r.json).toMatchObject({ code: 200, msg: 'success' });
		const id = r.json.result.workspace_id as string;
		expect(id).toMatch(/^\d{19}$/);

		const listed = await list();
		expect(listed.total).toBe(3);
		expect(listed.workspaces.map((w) => w.name)).toEqual(['Invoices', 'Contracts', 'Acme']);
		const expected = {
			workspace_id: id,
			name: 'Acme',
			description: 'Client Acme',
			auth_scope: 0,
			manage_account_id: 'account_demo-app-id',
			manage_account_name: 'demo-app-id',
			callback_url: '',
			callback_retry_time: 0,
		};
		expect(listed.workspaces[2]).toEqual(expected);
		expect((await api('GET', 'workspace/get', { query: { workspace_id: id } })).json).toEqual({ code: 200, msg: 'success', result: expected });

		const upload = await api('POST', 'file/upload', { query: { workspace_id: id }, form: form([{ name: 'a.pdf', data: fakePdf('a') }]) });
		expect(upload.json.code).toBe(200);
		expect(emu.tasks()[0].workspaceId).toBe(id);

		emu.reset();
		expect((await list()).total).toBe(2);
		expect((await api('GET', 'workspace/get', { query: { workspace_id: id } })).json).toMatchObject({ code: 40004, msg: '工作空间不存在' });
	});

	test('two workspaces may share a name (the spec does not ask for unique names)', async () => {
		const a = await create({ name: 'Same', enterprise_id: 1001, auth_scope: 1 });
		const b = await create({ name: 'Same', enterprise_id: 1001, auth_scope: 1 });
		expect(a.json.result.workspace_id).not.toBe(b.json.result.workspace_id);
		expect((await list()).workspaces.filter((w) => w.name === 'Same')).toHaveLength(2);
	});

	test.each([
		['no name', { enterprise_id: 1001, auth_scope: 1 }, 'name is required'],
		['a blank name', { name: '   ', enterprise_id: 1001, auth_scope: 1 }, 'name is required'],
		['a number as name', { name: 7, enterprise_id: 1001, auth_scope: 1 }, 'invalid name: must be a string'],
		['a 51-character name', { name: 'x'.repeat(51), enterprise_id: 1001, auth_scope: 1 }, 'invalid name: at most 50 characters'],
		['a 201-character description', { name: 'ok', description: 'd'.repeat(201), enterprise_id: 1001, auth_scope: 1 }, 'invalid description: at most 200 characters'],
		['no enterprise_id', { name: 'ok', auth_scope: 1 }, 'enterprise_id is required'],
		['enterprise_id as a string', { name: 'ok', enterprise_id: '1001', auth_scope: 1 }, 'invalid enterprise_id: must be an integer'],
		['no auth_scope', { name: 'ok', enterprise_id: 1001 }, 'auth_scope is required'],
		['auth_scope 2', { name: 'ok', enterprise_id: 1001, auth_scope: 2 }, 'invalid auth_scope: must be 0 or 1'],
		['a list as body', ['not', 'an', 'object'], 'invalid JSON body: must be an object'],
	])('%s → 40004, nothing created', async (_label, body, msg) => {
		expect((await create(body)).json).toMatchObject({ code: 40004, msg });
		expect((await list()).total).toBe(2);
	});

	test('50 characters (counted as characters, not bytes) are fine', async () => {
		const name = '工'.repeat(50);
		expect((await create({ name, enterprise_id: 1001, auth_scope: 1 })).json.code).toBe(200);
	});

	test('an enterprise the caller does not belong to → 40301', async () => {
		expect((await create({ name: 'x', enterprise_id: 2002, auth_scope: 1 })).json).toEqual({
			code: 40301,
			msg: 'no permission for this enterprise',
			traceId: expect.any(String),
		});
		expect(emu.workspaces.filter((w) => w.name === 'x')).toEqual([]);
	});

	test('an enterprise ID above 2^53 keeps its digits when sent as a raw JSON integer', async () => {
		const body = '{"name":"big","enterprise_id":1234567890123456789,"auth_scope":1}';
		const r = await api('POST', 'workspace/create', {
			body,
			headers: { 'content-type': 'application/json' },
			appId: 'big-app',
			secret: 'big-secret',
		});
		expect(r.json.code).toBe(200);
		expect(emu.workspaces.find((w) => w.name === 'big')?.enterprise_id).toBe('1234567890123456789');
	});
});

describe('workspace/list, workspace/get', () => {
	test('pages by page/page_size, with the total', async () => {
		for (let i = 0; i < 23; i++) await create({ name: `ws ${i}`, enterprise_id: 1001, auth_scope: 1 });
		const p2 = await list({ page: 2, page_size: 10 });
		expect(p2).toMatchObject({ total: 25, page: 2, page_size: 10 });
		expect(p2.workspaces.map((w) => w.name)).toEqual(Array.from({ length: 10 }, (_, i) => `ws ${i + 8}`));
		expect((await list({ page: 3, page_size: 10 })).workspaces).toHaveLength(5);
		expect((await list({ page: 4, page_size: 10 })).workspaces).toHaveLength(0);
		expect((await list()).page_size).toBe(20);
	});

	test('list: enterprise_id required, an integer, and one of the caller’s', async () => {
		expect((await api('GET', 'workspace/list')).json).toMatchObject({ code: 40004, msg: 'enterprise_id is required' });
		expect((await api('GET', 'workspace/list', { query: { enterprise_id: 'abc' } })).json.code).toBe(40004);
		expect((await api('GET', 'workspace/list', { query: { enterprise_id: '2002' } })).json.code).toBe(40301);
	});

	test('get: the seeded workspaces with their defaults; unknown, missing and another enterprise’s → 40004', async () => {
		expect((await api('GET', 'workspace/get', { query: { workspace_id: WS } })).json.result).toEqual({
			workspace_id: WS,
			name: 'Invoices',
			description: 'Invoices workspace (emulator)',
			auth_scope: 1,
			manage_account_id: 'admin_1001',
			manage_account_name: 'Demo Admin',
			callback_url: '',
			callback_retry_time: 0,
		});
		expect((await api('GET', 'workspace/get', { query: { workspace_id: '404' } })).json).toMatchObject({ code: 40004, msg: '工作空间不存在' });
		expect((await api('GET', 'workspace/get', { query: { workspace_id: '3234567890' } })).json).toMatchObject({ code: 40004, msg: '工作空间不存在' });
		expect((await api('GET', 'workspace/get')).json).toMatchObject({ code: 40004, msg: 'workspace_id is required' });
	});
});

describe('workspace/update', () => {
	const update = (body: unknown) => api('POST', 'workspace/update', { json: body });
	const get = async (id = WS) => (await api('GET', 'workspace/get', { query: { workspace_id: id } })).json.result;

	test('sets every field; an optional field left out is cleared (a full update)', async () => {
		const full = { workspace_id: WS, name: 'Renamed', description: 'new', auth_scope: 0, callback_url: 'https://example.com/cb', callback_retry_time: 2 };
		expect((await update(full)).json).toEqual({ code: 200, msg: 'success' });
		expect(await get()).toMatchObject({ name: 'Renamed', description: 'new', auth_scope: 0, callback_url: 'https://example.com/cb', callback_retry_time: 2 });

		expect((await update({ workspace_id: WS, name: 'Renamed', auth_scope: 1 })).json.code).toBe(200);
		expect(await get()).toMatchObject({ name: 'Renamed', description: '', auth_scope: 1, callback_url: '', callback_retry_time: 0 });
	});

	test.each([
		['no workspace_id', { name: 'x', auth_scope: 1 }, 'workspace_id is required'],
		['no name', { workspace_id: WS, auth_scope: 1 }, 'name is required'],
		['no auth_scope', { workspace_id: WS, name: 'x' }, 'auth_scope is required'],
		['a 51-character name', { workspace_id: WS, name: 'x'.repeat(51), auth_scope: 1 }, 'invalid name: at most 50 characters'],
		['a 501-character description', { workspace_id: WS, name: 'x', auth_scope: 1, description: 'd'.repeat(501) }, 'invalid description: at most 500 characters'],
		['an ftp callback_url', { workspace_id: WS, name: 'x', auth_scope: 1, callback_url: 'ftp://x' }, 'invalid callback_url: must be an http(s) URL'],
		['callback_retry_time 0', { workspace_id: WS, name: 'x', auth_scope: 1, callback_retry_time: 0 }, 'invalid callback_retry_time: must be an integer between 1 and 3'],
		['callback_retry_time 4', { workspace_id: WS, name: 'x', auth_scope: 1, callback_retry_time: 4 }, 'invalid callback_retry_time: must be an integer between 1 and 3'],
		['an unknown workspace', { workspace_id: '404', name: 'x', auth_scope: 1 }, '工作空间不存在'],
		['another enterprise’s workspace', { workspace_id: '3234567890', name: 'x', auth_scope: 1 }, '工作空间不存在'],
	])('%s → 40004, nothing changed', async (_label, body, msg) => {
		expect((await update(body)).json).toMatchObject({ code: 40004, msg });
		expect((await get()).name).toBe('Invoices');
	});

	test('500 characters of description are fine on update (200 on create)', async () => {
		expect((await update({ workspace_id: WS, name: 'x', auth_scope: 1, description: 'd'.repeat(500) })).json.code).toBe(200);
	});
});

describe('workspace/delete', () => {
	const del = (body: unknown) => api('POST', 'workspace/delete', { json: body });

	test('deletes the workspaces and their documents; afterwards they are “not found” everywhere', async () => {
		await api('POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name: 'a.pdf', data: fakePdf('a') }]) });
		expect((await del({ workspace_ids: [WS, '2234567890'] })).json).toEqual({ code: 200, msg: 'success' });
		expect((await list()).total).toBe(0);
		expect(emu.tasks()).toEqual([]);
		for (const [method, endpoint, o] of [
			['GET', 'workspace/get', { query: { workspace_id: WS } }],
			['GET', 'file/fetch', { query: { workspace_id: WS } }],
			['POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name: 'b.pdf', data: fakePdf('b') }]) }],
			['POST', 'workspace/delete', { json: { workspace_ids: [WS] } }],
		] as const) {
			expect((await api(method, endpoint, o)).json).toMatchObject({ code: 40004, msg: '工作空间不存在' });
		}
		emu.reset();
		expect((await list()).total).toBe(2);
	});

	test.each([
		['no workspace_ids', {}, 'workspace_ids is required'],
		['an empty list', { workspace_ids: [] }, 'invalid workspace_ids: must be a non-empty array of workspace IDs (strings)'],
		['one ID, not a list', { workspace_ids: WS }, 'invalid workspace_ids: must be a non-empty array of workspace IDs (strings)'],
		['a number in the list', { workspace_ids: [1234567890] }, 'invalid workspace_ids: must be a non-empty array of workspace IDs (strings)'],
		['one unknown among them', { workspace_ids: [WS, '404'] }, '工作空间不存在'],
		['another enterprise’s workspace', { workspace_ids: ['3234567890'] }, '工作空间不存在'],
	])('%s → 40004, nothing deleted', async (_label, body, msg) => {
		expect((await del(body)).json).toMatchObject({ code: 40004, msg });
		expect((await list()).total).toBe(2);
		expect(emu.workspaces).toHaveLength(3);
	});
});
