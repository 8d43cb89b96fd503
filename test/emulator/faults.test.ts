import type { DocflowEmulator } from './index.ts';
import { WS, call, fakePdf, form } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';

let emu: DocflowEmulator;
emulatorPerTestFile((started) => (emu = started));
const uploadReq = (o: { headersTimeout?: number } = {}) =>
	call(emu.url, 'POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name: 'f.pdf', data: fakePdf('f') }]), ...o });
const token = () => call(emu.url, 'GET', 'auth/token');

describe('faults', () => {
	test("'status' with Retry-After: answered without processing, then normal", async () => {
		emu.injectFault({ path: 'file/upload', kind: 'status', status: 503, retryAfter: 2 });
		const r = await uploadReq();
		expect(r.status).toBe(503);
		expect(r.headers['retry-after']).toBe('2');
		expect(r.headers['x-ti-trace-id']).toBeDefined();
		expect(r.json).toEqual({ code: 503, msg: 'Service Unavailable' });
		expect(emu.tasks()).toHaveLength(0);
		expect(emu.requests[0]).toMatchObject({ fault: 'status', status: 503 });
		expect(emu.requests[0].bodyLength).toBeGreaterThan(0);
		const ok = await uploadReq();
		expect(ok.json.code).toBe(200);
		expect(emu.requests[1].fault).toBeUndefined();
		expect(emu.tasks()).toHaveLength(1);
	});

	test("'status' with custom body/content type, 429 without Retry-After", async () => {
		emu.injectFault({ path: 'auth/token', kind: 'status', status: 500, body: 'boom', contentType: 'text/plain' });
		emu.injectFault({ path: 'auth/token', kind: 'status', status: 429 });
		const a = await token();
		expect(a.status).toBe(500);
		expect(a.headers['content-type']).toBe('text/plain');
		expect(a.text).toBe('boom');
		const b = await token();
		expect(b.status).toBe(429);
		expect(b.headers['retry-after']).toBeUndefined();
		expect(b.json.code).toBe(429);
	});

	test("'business': HTTP 200 with a DocFlow error, nothing processed", async () => {
		emu.injectFault({ method: 'POST', path: 'file/upload', kind: 'business', code: 50001, msg: 'system busy' });
		const r = await uploadReq();
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ code: 50001, msg: 'system busy', traceId: r.headers['x-ti-trace-id'] });
		expect(emu.requests[0]).toMatchObject({ code: 50001, fault: 'business' });
		expect(emu.tasks()).toHaveLength(0);
	});

	test("'html' and 'non-json'", async () => {
		emu.injectFault({ path: 'file/fetch', kind: 'html' });
		emu.injectFault({ path: 'file/fetch', kind: 'non-json' });
		const q = { query: { workspace_id: WS } };
		const h = await call(emu.url, 'GET', 'file/fetch', q);
		expect(h.status).toBe(502);
		expect(h.headers['content-type']).toMatch(/^text\/html/);
		expect(h.text).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
		const n = await call(emu.url, 'GET', 'file/fetch', q);
		expect(n.status).toBe(200);
		expect(n.headers['content-type']).toMatch(/^text\/plain/);
		expect(n.text).toBe('OK');
		expect(emu.requests.map((r) => r.fault)).toEqual(['html', 'non-json']);
	});

	test("'truncated-json': processed, half a body", async () => {
		emu.injectFault({ path: 'file/upload', kind: 'truncated-json' });
		const r = await uploadReq();
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/application\/json/);
		expect(r.json).toBeUndefined();
		expect(r.text.startsWith('{"code":200,"msg":"success","result":{')).toBe(true);
		expect(emu.tasks()).toHaveLength(1);
		const full = JSON.stringify({
			code: 200,
			msg: 'success',
			result: {
				batch_number: emu.tasks()[0].batchNumber,
				files: [{ id: emu.tasks()[0].fileId, task_id: emu.tasks()[0].taskId, name: 'f.pdf', format: 'pdf' }],
			},
		});
		expect(r.text).toBe(full.slice(0, Math.floor(full.length / 2)));
	});

	test("'reset-before': socket destroyed, nothing stored", async () => {
		emu.injectFault({ path: 'file/upload', kind: 'reset-before' });
		await expect(uploadReq()).rejects.toThrow();
		expect(emu.tasks()).toHaveLength(0);
		expect(emu.requests[0]).toMatchObject({ fault: 'reset-before', status: 0 });
		expect((await uploadReq()).json.code).toBe(200);
	});

	test("'reset-after': processed (task stored), socket destroyed", async () => {
		emu.injectFault({ path: 'file/upload', kind: 'reset-after' });
		await expect(uploadReq()).rejects.toThrow();
		expect(emu.tasks()).toHaveLength(1);
		expect(emu.requests[0]).toMatchObject({ fault: 'reset-after', status: 0 });
	});

	test("'hang-after': processed, never answered", async () => {
		emu.injectFault({ path: 'file/upload', kind: 'hang-after' });
		const t0 = Date.now();
		await expect(uploadReq({ headersTimeout: 300 })).rejects.toThrow();
		expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
		expect(emu.tasks()).toHaveLength(1);
		expect(emu.requests[0]).toMatchObject({ fault: 'hang-after', status: 0 });
	});

	test("'delay': processed and answered after ms", async () => {
		emu.injectFault({ path: 'auth/token', kind: 'delay', ms: 300 });
		const r = await token();
		expect(r.ms).toBeGreaterThanOrEqual(290);
		expect(r.json.code).toBe(200);
		expect(emu.requests[0].fault).toBe('delay');
	});

	test("'redirect': answered with the status and Location, nothing processed; needs location and a 3xx status", async () => {
		emu.injectFault({ path: 'file/upload', kind: 'redirect', location: 'http://127.0.0.1:9/elsewhere?x=1' });
		emu.injectFault({ path: 'file/fetch', kind: 'redirect', status: 301, location: '/moved' });
		const r = await uploadReq();
		expect(r.status).toBe(302);
		expect(r.headers.location).toBe('http://127.0.0.1:9/elsewhere?x=1');
		expect(r.headers['x-ti-trace-id']).toBeDefined();
		expect(emu.tasks()).toHaveLength(0);
		expect(emu.requests[0]).toMatchObject({ fault: 'redirect', status: 302 });
		expect(emu.requests[0].bodyLength).toBeGreaterThan(0);
		const f = await call(emu.url, 'GET', 'file/fetch', { query: { workspace_id: WS } });
		expect(f.status).toBe(301);
		expect(f.headers.location).toBe('/moved');
		expect(() => emu.injectFault({ path: 'file/fetch', kind: 'redirect' })).toThrow(/needs location/);
		expect(() => emu.injectFault({ path: 'file/fetch', kind: 'redirect', status: 200, location: '/x' })).toThrow(/3xx/);
	});

	test('times, order, method and exact suffix matching', async () => {
		emu.injectFault({ path: 'file/upload', kind: 'status', status: 500, times: 2 });
		emu.injectFault({ path: 'file/upload', kind: 'business', code: 40401, msg: 'x' });
		emu.injectFault({ method: 'POST', path: 'file/fetch', kind: 'html' });
		// sync endpoint is not matched by the 'file/upload' suffix
		const sync = await call(emu.url, 'POST', 'file/upload/sync', {
			query: { workspace_id: WS },
			form: form([{ name: 'a.pdf', data: 'x' }]),
		});
		expect(sync.json.code).toBe(200);
		// GET is not matched by the POST-only rule
		expect((await call(emu.url, 'GET', 'file/fetch', { query: { workspace_id: WS } })).status).toBe(200);
		expect((await uploadReq()).status).toBe(500);
		expect((await uploadReq()).status).toBe(500);
		expect((await uploadReq()).json.code).toBe(40401);
		expect((await uploadReq()).json.code).toBe(200);
		expect(emu.requests.map((r) => r.fault ?? '-')).toEqual(['-', '-', 'status', 'status', 'business', '-']);
	});

	test('faults apply even when auth would fail; 404 path can be faulted too', async () => {
		emu.injectFault({ path: 'file/fetch', kind: 'status', status: 504 });
		const r = await call(emu.url, 'GET', 'file/fetch', { auth: 'none' });
		expect(r.status).toBe(504);
		expect(emu.requests[0].auth.valid).toBe(false);
	});
});
