import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { startDocflowEmulator, type DocflowEmulator } from './index.ts';
import { APP_ID, PREFIX, SECRET, WS, agent, call, fakePdf, form, sha256, sign } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';

const SAMPLES = '/work/shared/docflow-api/samples';

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started), { stepMs: 1000 });
const fetchFiles = async (query: Record<string, string | number | boolean> = {}) => {
	const r = await api('GET', 'file/fetch', { query: { workspace_id: WS, ...query } });
	expect(r.json.code).toBe(200);
	return r.json.result as { total: number; page: number; page_size: number; files: any[] };
};
const upload = async (name: string, query: Record<string, string | number | boolean> = {}, data?: Buffer) => {
	const r = await api('POST', 'file/upload', {
		query: { workspace_id: WS, ...query },
		form: form([{ name, data: data ?? fakePdf(name) }]),
	});
	expect(r.json).toMatchObject({ code: 200, msg: 'success' });
	return r.json.result as { batch_number: string; files: Array<{ id: string; task_id: string; name: string; format: string }> };
};

describe('basics', () => {
	test('listens on 127.0.0.1 with a random port', () => {
		expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(emu.port).toBeGreaterThan(0);
	});

	test('unknown endpoint and wrong method → HTTP 404 JSON', async () => {
		const r = await api('GET', 'file/nope');
		expect(r.status).toBe(404);
		expect(r.json).toEqual({ code: 404, msg: 'not found' });
		expect(r.headers['x-ti-trace-id']).toMatch(/^[0-9a-f]{32}$/);
		expect((await api('GET', 'file/upload')).status).toBe(404);
		expect((await api('GET', '/other/path')).status).toBe(404);
	});

	test('auth/token', async () => {
		const r = await api('GET', 'auth/token');
		expect(r.json.code).toBe(200);
		expect(typeof r.json.result.token).toBe('string');
		const now = Math.floor(Date.now() / 1000);
		expect(Math.abs(r.json.result.expiry - (now + 86400))).toBeLessThan(5);
	});

	test('every response has a fresh trace id; errors repeat it in the body', async () => {
		const a = await api('GET', 'auth/token');
		const b = await api('GET', 'auth/token');
		expect(a.headers['x-ti-trace-id']).not.toBe(b.headers['x-ti-trace-id']);
		const e = await api('GET', 'file/fetch', { query: {} });
		expect(e.status).toBe(200);
		expect(e.json).toMatchObject({ code: 40004, msg: 'workspace_id is required' });
		expect(e.json.traceId).toBe(e.headers['x-ti-trace-id']);
		expect(emu.requests[2].traceId).toBe(e.json.traceId);
	});
});

describe('authentication', () => {
	test('simple auth: valid, wrong secret, unknown app, missing headers', async () => {
		expect((await api('GET', 'auth/token')).json.code).toBe(200);
		const wrong = await api('GET', 'auth/token', { secret: 'nope' });
		expect(wrong.json).toMatchObject({ code: 40102, msg: 'invalid x-ti-app-id or x-ti-secret-code' });
		const unknown = await api('GET', 'auth/token', { appId: 'who' });
		expect(unknown.json.code).toBe(40102);
		const none = await api('GET', 'auth/token', { auth: 'none' });
		expect(none.json).toMatchObject({ code: 40101, msg: 'x-ti-app-id or x-ti-secret-code is empty' });
		const noSecret = await api('GET', 'auth/token', { auth: 'none', headers: { 'x-ti-app-id': APP_ID } });
		expect(noSecret.json.code).toBe(40101);
		expect(emu.requests.map((r) => [r.auth.mode, r.auth.valid, r.code])).toEqual([
			['simple', true, 200],
			['simple', false, 40102],
			['simple', false, 40102],
			['none', false, 40101],
			['simple', false, 40101],
		]);
		expect(emu.requests[1].auth.reason).toMatch(/secret/);
	});

	test('signature auth with query params (incl. non-ASCII value) on GET', async () => {
		await upload('a.pdf', { category: '发票' });
		const r = await api('GET', 'file/fetch', { auth: 'signature', query: { workspace_id: WS, category: '发票', page: 1, page_size: 10 } });
		expect(r.json.code).toBe(200);
		expect(r.json.result.total).toBe(1);
		const rec = emu.requests[1];
		expect(rec.auth).toMatchObject({ mode: 'signature', valid: true, appId: APP_ID });
		expect(rec.headers['x-ti-secret-code']).toBeUndefined();
		expect(rec.query.category).toBe('发票');
	});

	test('signature auth with a multipart body (POST file/upload)', async () => {
		const f = form([{ name: 'sig.pdf', data: fakePdf('sig') }]);
		const r = await api('POST', 'file/upload', { auth: 'signature', query: { workspace_id: WS, batch_number: 'b-sig' }, form: f });
		expect(r.json.code).toBe(200);
		expect(emu.requests[0].auth).toMatchObject({ mode: 'signature', valid: true });
		expect(emu.tasks()).toHaveLength(1);
	});

	test('signature with a JSON body (POST file/upload urls)', async () => {
		const r = await api('POST', 'file/upload', {
			auth: 'signature',
			query: { workspace_id: WS },
			json: { urls: ['https://example.com/x.pdf'] },
		});
		expect(r.json.code).toBe(200);
	});

	test('bad signature, tampered body, expired timestamp, missing signature headers', async () => {
		const bad = await api('GET', 'auth/token', { auth: 'signature', secret: 'wrong-secret' });
		expect(bad.json.code).toBe(40102);
		expect(bad.json.msg).toMatch(/signature mismatch/);

		// signature computed over url-encoded query values: refused, with a diagnostic hint recorded
		const ts = Math.floor(Date.now() / 1000);
		const path = PREFIX + 'category/list';
		const sigEncoded = sign(SECRET, ts, 'GET', path, { workspace_id: WS, enabled: 'all', x: encodeURIComponent('a b') }, Buffer.alloc(0));
		const enc = await api('GET', 'category/list', {
			auth: 'none',
			query: { workspace_id: WS, enabled: 'all', x: 'a b' },
			headers: { 'x-ti-app-id': APP_ID, 'x-ti-timestamp': String(ts), 'x-ti-signature': sigEncoded },
		});
		expect(enc.json.code).toBe(40102);
		expect(emu.requests[1].auth.reason).toMatch(/url-encoded/);

		// tampered body: signature over other bytes
		const body = Buffer.from(JSON.stringify({ workspace_id: WS, task_id: '1' }));
		const s2 = sign(SECRET, ts, 'POST', PREFIX + 'file/retry', {}, Buffer.from('{}'));
		const tampered = await api('POST', 'file/retry', {
			auth: 'none',
			body,
			headers: { 'content-type': 'application/json', 'x-ti-app-id': APP_ID, 'x-ti-timestamp': String(ts), 'x-ti-signature': s2 },
		});
		expect(tampered.json.code).toBe(40102);

		const expired = await api('GET', 'auth/token', { auth: 'signature', timestamp: ts - 301 });
		expect(expired.json.code).toBe(40102);
		expect(expired.json.msg).toMatch(/expired/);
		const future = await api('GET', 'auth/token', { auth: 'signature', timestamp: ts + 400 });
		expect(future.json.code).toBe(40102);
		const withinWindow = await api('GET', 'auth/token', { auth: 'signature', timestamp: ts - 200 });
		expect(withinWindow.json.code).toBe(200);

		const missing = await api('GET', 'auth/token', { auth: 'none', headers: { 'x-ti-app-id': APP_ID, 'x-ti-signature': 'abc' } });
		expect(missing.json.code).toBe(40101);
		expect(emu.requests.at(-1)!.auth.mode).toBe('signature');
	});

	test('signature + secret header: judged as signature mode, recorded', async () => {
		const r = await api('GET', 'auth/token', { auth: 'signature', headers: { 'x-ti-secret-code': SECRET } });
		expect(r.json.code).toBe(200);
		const a = emu.requests[0].auth;
		expect(a).toMatchObject({ mode: 'signature', valid: true, secretHeader: true });
		expect(a.reason).toMatch(/x-ti-secret-code/);
		// a wrong secret header does not matter when the signature is right
		const r2 = await api('GET', 'auth/token', { auth: 'signature', headers: { 'x-ti-secret-code': 'garbage' } });
		expect(r2.json.code).toBe(200);
	});

	test('enterprise header', async () => {
		const ok = await api('GET', 'workspace/list', { query: { enterprise_id: '1001' }, headers: { 'x-ti-enterprise-id': '1001' } });
		expect(ok.json.code).toBe(200);
		expect(emu.requests[0].auth.enterpriseId).toBe('1001');
		const no = await api('GET', 'auth/token', { headers: { 'x-ti-enterprise-id': '2002' } });
		expect(no.json).toMatchObject({ code: 40301, msg: 'no permission for this enterprise' });
		const noSig = await api('GET', 'auth/token', { auth: 'signature', headers: { 'x-ti-enterprise-id': '9' } });
		expect(noSig.json.code).toBe(40301);
	});

	test('enterprise header restricts workspace access (multi-enterprise credential)', async () => {
		const multi = await startDocflowEmulator({ credentials: [{ appId: 'm', secretCode: 's', enterpriseIds: ['1001', '2002'] }] });
		try {
			const q = { workspace_id: '3234567890' };
			const all = await call(multi.url, 'GET', 'category/list', { appId: 'm', secret: 's', query: q });
			expect(all.json.code).toBe(200);
			const restricted = await call(multi.url, 'GET', 'category/list', {
				appId: 'm',
				secret: 's',
				query: q,
				headers: { 'x-ti-enterprise-id': '1001' },
			});
			expect(restricted.json).toMatchObject({ code: 40004, msg: '工作空间不存在' });
			const ws2002 = await call(multi.url, 'GET', 'workspace/list', { appId: 'm', secret: 's', query: { enterprise_id: '2002' } });
			expect(ws2002.json.result.workspaces.map((w: any) => w.workspace_id)).toEqual(['3234567890']);
		} finally {
			await multi.close();
		}
	});
});

describe('upload', () => {
	test('multipart with two files incl. a non-ASCII filename', async () => {
		const pdf = readFileSync(join(SAMPLES, 'simple.pdf'));
		const jpg = readFileSync(join(SAMPLES, 'crop_example.jpg'));
		const f = form([
			{ name: '发票-2024.pdf', data: pdf, contentType: 'application/pdf' },
			{ name: 'Photo.JPG', data: jpg, contentType: 'image/jpeg' },
		]);
		const r = await api('POST', 'file/upload', { query: { workspace_id: WS }, form: f });
		expect(r.json.code).toBe(200);
		const res = r.json.result;
		expect(res.batch_number).toMatch(/^\d{19}$/);
		expect(res.files).toHaveLength(2);
		expect(res.files[0]).toEqual({
			id: expect.stringMatching(/^\d{19}$/),
			task_id: expect.stringMatching(/^\d{19}$/),
			name: '发票-2024.pdf',
			format: 'pdf',
		});
		expect(res.files[1]).toMatchObject({ name: 'Photo.JPG', format: 'jpg' });
		expect(new Set([res.files[0].id, res.files[0].task_id, res.files[1].id, res.files[1].task_id]).size).toBe(4);

		const rec = emu.requests[0];
		expect(rec.parts).toEqual([
			{ name: 'file', filename: '发票-2024.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
			{ name: 'file', filename: 'Photo.JPG', contentType: 'image/jpeg', size: jpg.length, sha256: sha256(jpg) },
		]);
		expect(rec.bodySha256).toBe(sha256(f.getBuffer()));
		expect(rec.bodyLength).toBe(f.getBuffer().length);

		const tasks = emu.tasks();
		expect(tasks).toHaveLength(2);
		expect(tasks[0]).toMatchObject({
			taskId: res.files[0].task_id,
			fileId: res.files[0].id,
			batchNumber: res.batch_number,
			workspaceId: WS,
			name: '发票-2024.pdf',
			format: 'pdf',
			size: pdf.length,
			sha256: sha256(pdf),
			taskType: 1,
			attempts: 1,
			source: 'multipart',
		});
		expect(tasks[1]).toMatchObject({ size: jpg.length, sha256: sha256(jpg), format: 'jpg' });
	});

	test('hand-made multipart: quoted boundary, filename* wins, binary content with CRLF and dashes', async () => {
		const boundary = 'weird--boundary=1';
		const content = Buffer.concat([Buffer.from('\r\n--weird--boundary=\r\n--'), Buffer.from([0, 255, 13, 10]), Buffer.from('--')]);
		const body = Buffer.concat([
			Buffer.from(`preamble\r\n--${boundary}\r\n`),
			Buffer.from(
				`Content-Disposition: form-data; name="file"; filename="fallback.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C%20contract.pdf\r\nContent-Type: application/pdf\r\n\r\n`,
			),
			content,
			Buffer.from(`\r\n--${boundary}\r\n`),
			Buffer.from(`Content-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`),
		]);
		const r = await api('POST', 'file/upload', {
			query: { workspace_id: WS },
			body,
			headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` },
		});
		expect(r.json.code).toBe(200);
		expect(r.json.result.files[0]).toMatchObject({ name: '合同 contract.pdf', format: 'pdf' });
		expect(emu.requests[0].parts).toEqual([
			{ name: 'file', filename: '合同 contract.pdf', contentType: 'application/pdf', size: content.length, sha256: sha256(content) },
			{ name: 'note', size: 5, sha256: sha256('hello') },
		]);
		emu.finishAll();
		const files = (await fetchFiles()).files;
		expect(files[0].category).toBe('contract');
	});

	test('a file part’s name is stored as many servers keep it: only what follows the last / or \\', async () => {
		const boundary = 'basename-boundary';
		const part = (filename: string, data: string) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n${data}\r\n`;
		// The second name is C:\Users\me\b.pdf, its backslashes escaped in the quoted string.
		const body = Buffer.from(`${part('scans/2024/a.pdf', '%PDF a')}${part('C:\\\\Users\\\\me\\\\b.pdf', '%PDF b')}--${boundary}--\r\n`);
		const r = await api('POST', 'file/upload', {
			query: { workspace_id: WS },
			body,
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
		});
		expect(r.json.code).toBe(200);
		expect(r.json.result.files.map((f: any) => f.name)).toEqual(['a.pdf', 'b.pdf']);
		expect(emu.requests[0].parts!.map((p) => p.filename)).toEqual(['scans/2024/a.pdf', 'C:\\Users\\me\\b.pdf']);
		expect(emu.tasks().map((t) => t.name)).toEqual(['a.pdf', 'b.pdf']);
	});

	test('batch_number is reused and files are appended to the batch', async () => {
		const a = await upload('one.pdf', { batch_number: 'my-batch-1' });
		const b = await upload('two.pdf', { batch_number: 'my-batch-1' });
		expect(a.batch_number).toBe('my-batch-1');
		expect(b.batch_number).toBe('my-batch-1');
		expect((await fetchFiles({ batch_number: 'my-batch-1' })).total).toBe(2);
	});

	test('URL list upload: names from the decoded last segment; no download', async () => {
		const urls = ['https://example.com/files/%E5%8F%91%E7%A5%A8.pdf?sig=1', 'http://example.com/a/b/Scan.PNG'];
		const r = await api('POST', 'file/upload', { query: { workspace_id: WS }, json: { urls } });
		expect(r.json.code).toBe(200);
		expect(r.json.result.files.map((f: any) => [f.name, f.format])).toEqual([
			['发票.pdf', 'pdf'],
			['Scan.PNG', 'png'],
		]);
		expect(emu.requests[0].json).toEqual({ urls });
		const t = emu.tasks();
		expect(t[0]).toMatchObject({ url: urls[0], source: 'url', size: 0 });
		expect(t[0].sha256).toBeUndefined();
	});

	test('URL list limits', async () => {
		const ten = Array.from({ length: 10 }, (_, i) => `https://example.com/${i}.pdf`);
		expect((await api('POST', 'file/upload', { query: { workspace_id: WS }, json: { urls: ten } })).json.code).toBe(200);
		const eleven = await api('POST', 'file/upload', { query: { workspace_id: WS }, json: { urls: [...ten, 'https://example.com/x.pdf'] } });
		expect(eleven.json.code).toBe(40004);
		expect(eleven.json.msg).toMatch(/urls/);
		const ftp = await api('POST', 'file/upload', { query: { workspace_id: WS }, json: { urls: ['ftp://example.com/a.pdf'] } });
		expect(ftp.json.code).toBe(40004);
		expect(ftp.json.msg).toMatch(/invalid url/);
		const empty = await api('POST', 'file/upload', { query: { workspace_id: WS }, json: { urls: [] } });
		expect(empty.json.code).toBe(40004);
		const badFmt = await api('POST', 'file/upload', { query: { workspace_id: WS }, json: { urls: ['https://example.com/a.exe'] } });
		expect(badFmt.json.msg).toMatch(/unsupported/);
		expect(emu.tasks()).toHaveLength(10);
	});

	test('refusals: empty part, unsupported format, no file, bad params, workspace', async () => {
		const q = { workspace_id: WS };
		const empty = await api('POST', 'file/upload', { query: q, form: form([{ name: 'empty.pdf', data: Buffer.alloc(0) }]) });
		expect(empty.json).toMatchObject({ code: 40004, msg: expect.stringMatching(/empty/) });
		const exe = await api('POST', 'file/upload', { query: q, form: form([{ name: 'tool.exe', data: 'MZ' }]) });
		expect(exe.json).toMatchObject({ code: 40004, msg: expect.stringMatching(/unsupported file format/) });
		// one bad file refuses the whole request
		const mixed = await api('POST', 'file/upload', {
			query: q,
			form: form([
				{ name: 'ok.pdf', data: 'x' },
				{ name: 'bad.gif', data: 'x' },
			]),
		});
		expect(mixed.json.code).toBe(40004);
		const nofile = await api('POST', 'file/upload', { query: q });
		expect(nofile.json).toMatchObject({ code: 40004, msg: 'file is required' });
		const wrongField = new (require('form-data'))();
		wrongField.append('document', Buffer.from('x'), { filename: 'a.pdf' });
		expect((await api('POST', 'file/upload', { query: q, form: wrongField })).json.msg).toBe('file is required');
		for (const [k, v] of [
			['split_flag', 'yes'],
			['crop_flag', '1'],
			['auto_verify_vat', 'TRUE'],
			['target_process', 'parse'],
			['parser_dpi', '300'],
			['parser_formula_level', '3'],
			['parser_table_text_split_mode', '2'],
			['parser_parse_mode', 'ocr'],
			['parser_apply_merge', 'true'],
		]) {
			const r = await api('POST', 'file/upload', { query: { ...q, [k]: v }, form: form([{ name: 'a.pdf', data: 'x' }]) });
			expect(r.json.code).toBe(40004);
			expect(r.json.msg).toContain(k);
		}
		const noWs = await api('POST', 'file/upload', { form: form([{ name: 'a.pdf', data: 'x' }]) });
		expect(noWs.json).toMatchObject({ code: 40004, msg: 'workspace_id is required' });
		for (const ws of ['999', '3234567890']) {
			const r = await api('POST', 'file/upload', { query: { workspace_id: ws }, form: form([{ name: 'a.pdf', data: 'x' }]) });
			expect(r.json).toMatchObject({ code: 40004, msg: '工作空间不存在' });
		}
		const cat = await api('POST', 'file/upload', { query: { ...q, category: 'old form' }, form: form([{ name: 'a.pdf', data: 'x' }]) });
		expect(cat.json.code).toBe(40004);
		expect(emu.tasks()).toHaveLength(0);
	});

	test('file over 100 MiB is refused; exactly 100 MiB is accepted', async () => {
		const max = Buffer.alloc(104857600, 7);
		const ok = await api('POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name: 'big.pdf', data: max }]) });
		expect(ok.json.code).toBe(200);
		const over = Buffer.alloc(104857601, 7);
		const r = await api('POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name: 'big.pdf', data: over }]) });
		expect(r.json.code).toBe(40004);
		expect(r.json.msg).toMatch(/too large/);
		expect(emu.requests[1].bodyLength).toBeGreaterThan(104857601);
		expect(emu.tasks()).toHaveLength(1);
	}, 30000);

	test('upload options are stored; parser params come back (without pdf_pwd)', async () => {
		await upload('opts.pdf', {
			auto_verify_vat: true,
			parser_remove_watermark: 1,
			parser_crop_dewarp: 1,
			parser_apply_merge: 0,
			parser_table_text_split_mode: 1,
			parser_formula_level: 2,
			parser_dpi: 216,
			parser_parse_mode: 'vlm',
			parser_pdf_pwd: 's3cret',
		});
		const t = emu.tasks()[0];
		expect(t.options).toEqual({ auto_verify_vat: true });
		expect(t.parserParams).toEqual({
			remove_watermark: 1,
			crop_dewarp: 1,
			apply_merge: 0,
			table_text_split_mode: 1,
			formula_level: 2,
			dpi: 216,
			parse_mode: 'vlm',
			pdf_pwd: 's3cret',
		});
		expect(t.uploadQuery.parser_pdf_pwd).toBe('s3cret');
		emu.finishAll();
		const f = (await fetchFiles()).files[0];
		expect(f.parser_params).toEqual({
			remove_watermark: 1,
			crop_dewarp: 1,
			apply_merge: 0,
			table_text_split_mode: 1,
			formula_level: 2,
			dpi: 216,
			parse_mode: 'vlm',
		});
		expect(f.data.invoiceVerifyResult).toMatchObject({ invoiceVerifyStatus: 1 });
		expect(f.pages[0].dpi).toBe(216);
	});
});

describe('task model', () => {
	test('status progression via advance() and final data', async () => {
		const up = await upload('invoice-001.pdf');
		const st = async () => (await fetchFiles()).files[0];
		let f = await st();
		expect(f).toMatchObject({ task_id: up.files[0].task_id, task_type: 1, recognition_status: 5, verification_status: 0, category: '' });
		expect(f.data).toBeUndefined();
		const seen = [f.recognition_status];
		for (let i = 0; i < 5; i++) {
			emu.advance(1000);
			seen.push((await st()).recognition_status);
		}
		expect(seen).toEqual([5, 20, 3, 4, 1, 1]);
		f = await st();
		expect(f.category).toBe('发票');
		expect(f.failure_causes).toBeUndefined();
		expect(f.duration_ms).toBe(4000);
		expect(f.total_page_num).toBe(1);
		expect(f.pages).toEqual([{ page: 0, angle: 0, width: 1240, height: 1754, dpi: 144 }]);
		expect(f.parser_params).toEqual({
			formula_level: 0,
			apply_merge: 1,
			table_text_split_mode: 0,
			crop_dewarp: 0,
			remove_watermark: 0,
			dpi: 144,
			parse_mode: 'auto',
		});
		const byKey = Object.fromEntries(f.data.fields.map((x: any) => [x.key, x]));
		expect(Object.keys(byKey)).toEqual(
			expect.arrayContaining(['Invoice Code', 'Invoice Number', 'Invoice Date', 'Seller Name', 'Buyer Name', 'Total Amount']),
		);
		expect(byKey['Invoice Number']).toMatchObject({
			value: '28737000',
			identifier: 'invoice_number',
			extractModel: expect.any(String),
			configModel: expect.any(String),
		});
		expect(byKey['Invoice Number'].position[0].vertices).toHaveLength(8);
		expect(byKey['Invoice Number'].confidence).toBeGreaterThan(0);
		expect(f.data.items.length).toBe(2);
		expect(f.data.items[0][0]).toMatchObject({ key: expect.any(String), value: expect.any(String), position: expect.any(Array) });
		expect(f.data.tables[0]).toMatchObject({
			tableName: expect.any(String),
			tableType: '0',
			extractModel: expect.any(String),
			configModel: expect.any(String),
		});
		expect(f.data.tables.some((t: any) => t.items.length === 2)).toBe(true);
		expect(f.data.tables[0].items[1][0]).toMatchObject({
			key: expect.any(String),
			identifier: expect.any(String),
			value: expect.any(String),
			index: 1,
		});
		expect(f.data.stamps[0]).toMatchObject({
			angel: 0,
			page: 0,
			text: expect.any(String),
			type: expect.any(String),
			color: 'Red',
			shape: expect.any(String),
		});
		expect(f.data.stamps[0].position).toHaveLength(8);
		expect(f.data.handwritings[0]).toMatchObject({ text: expect.any(String), position: [{ page: 0, vertices: expect.any(Array) }] });
		expect(f.data.invoiceVerifyResult).toBeUndefined();
		// deterministic
		const again = await st();
		expect(again.data).toEqual(f.data);
	});

	test('stepMs is virtual time per step (real time also counts)', async () => {
		emu.setStepMs(20);
		await upload('x.pdf');
		await new Promise((r) => setTimeout(r, 120));
		expect((await fetchFiles()).files[0].recognition_status).toBe(1);
	});

	test('category guessed from the name; explicit category wins', async () => {
		await upload('Receipt-7.png');
		await upload('big CONTRACT.docx');
		await upload('contract.pdf', { category: 'receipt' });
		emu.finishAll();
		const files = (await fetchFiles()).files;
		expect(files.map((f) => f.category)).toEqual(['receipt', 'contract', 'receipt']);
		expect(files[0].data.fields.map((x: any) => x.key)).toContain('Merchant Name');
		expect(files[1].data.fields.map((x: any) => x.key)).toContain('Party A');
		expect(files[2].data.fields.map((x: any) => x.key)).toContain('Merchant Name');
	});

	test('classify only ends in 10 with category and empty fields', async () => {
		await upload('receipt.pdf', { target_process: 'classify' });
		const seen: number[] = [];
		for (let i = 0; i < 5; i++) {
			seen.push((await fetchFiles()).files[0].recognition_status);
			emu.advance(1000);
		}
		expect(seen).toEqual([5, 20, 3, 10, 10]);
		const f = (await fetchFiles()).files[0];
		expect(f.category).toBe('receipt');
		expect(f.data.fields).toEqual([]);
	});

	test('default fail rule: name contains "fail" fails on attempt 1, retry succeeds', async () => {
		const up = await upload('will-FAIL.pdf');
		emu.advance(3000);
		expect((await fetchFiles()).files[0].recognition_status).toBe(4);
		emu.advance(1000);
		let f = (await fetchFiles()).files[0];
		expect(f.recognition_status).toBe(2);
		expect(f.failure_causes).toBe('Document parsing failed: the file is damaged or unreadable');
		expect(f.data).toBeUndefined();
		const r = await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: up.files[0].task_id } });
		expect(r.json).toEqual({ code: 200, msg: 'success' });
		f = (await fetchFiles()).files[0];
		expect(f.recognition_status).toBe(5);
		expect(f.failure_causes).toBeUndefined();
		emu.advance(4000);
		f = (await fetchFiles()).files[0];
		expect(f.recognition_status).toBe(1);
		expect(f.data.fields.length).toBeGreaterThan(0);
		expect(emu.tasks()[0].attempts).toBe(2);
	});

	test('custom fail rule and its inputs', async () => {
		const seen: any[] = [];
		emu.setFailRule((file) => {
			seen.push(file);
			return file.attempt < 3 ? 'password protected' : null;
		});
		const up = await upload('doc.pdf');
		emu.finishAll();
		expect((await fetchFiles()).files[0]).toMatchObject({ recognition_status: 2, failure_causes: 'password protected' });
		await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: up.files[0].task_id } });
		emu.finishAll();
		expect((await fetchFiles()).files[0].recognition_status).toBe(2);
		await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: up.files[0].task_id } });
		emu.finishAll();
		expect((await fetchFiles()).files[0].recognition_status).toBe(1);
		expect(seen).toEqual([1, 2, 3].map((attempt) => ({ name: 'doc.pdf', workspaceId: WS, attempt })));
	});

	test('split: parent type 2, two type-0 children after success, child fetch by task_id', async () => {
		const up = await upload('split_example.pdf', { split_flag: true });
		const seen: number[] = [];
		for (let i = 0; i < 6; i++) {
			const f = (await fetchFiles()).files[0];
			seen.push(f.recognition_status);
			if (f.recognition_status !== 1) expect(f.child_files).toBeUndefined();
			emu.advance(1000);
		}
		expect(seen).toEqual([5, 20, 3, 6, 4, 1]);
		const res = await fetchFiles();
		expect(res.total).toBe(1);
		const p = res.files[0];
		expect(p).toMatchObject({ task_type: 2, task_id: up.files[0].task_id, total_page_num: 2 });
		expect(p.child_files).toHaveLength(2);
		const [c1, c2] = p.child_files;
		expect(c1).toMatchObject({
			task_type: 0,
			parent_task_id: p.task_id,
			batch_number: p.batch_number,
			name: 'split_example_1.pdf',
			format: 'pdf',
			recognition_status: 1,
			verification_status: 0,
			category: '发票',
			pages: [{ page: 0 }],
		});
		expect(c2).toMatchObject({ task_type: 0, name: 'split_example_2.pdf', category: 'receipt', pages: [{ page: 1 }] });
		expect(c1.id).toMatch(/^\d{19}$/);
		expect(c1.data.fields.find((x: any) => x.key === 'Invoice Number').value).toBe('28737000');

		const byTask = await fetchFiles({ task_id: c2.task_id });
		expect(byTask.total).toBe(1);
		expect(byTask.files[0]).toMatchObject({ task_id: c2.task_id, task_type: 0, parent_task_id: p.task_id });
		const byFile = await fetchFiles({ file_id: c1.id });
		expect(byFile.files[0].task_id).toBe(c1.task_id);

		const tasks = emu.tasks();
		expect(tasks).toHaveLength(3);
		expect(tasks[0].childTaskIds).toEqual([c1.task_id, c2.task_id]);
		expect(tasks[1]).toMatchObject({ taskType: 0, parentTaskId: p.task_id });
	});

	test('crop: two type-3 children with crop_info and from_parent_position_list', async () => {
		await upload('crop_example.jpg', { crop_flag: true });
		const seen: number[] = [];
		for (let i = 0; i < 6; i++) {
			seen.push((await fetchFiles()).files[0].recognition_status);
			emu.advance(1000);
		}
		expect(seen).toEqual([5, 20, 3, 7, 4, 1]);
		const p = (await fetchFiles({ with_task_detail_url: true })).files[0];
		expect(p.task_type).toBe(2);
		expect(p.task_detail_url).toContain(p.task_id);
		expect(p.child_files.map((c: any) => c.task_type)).toEqual([3, 3]);
		expect(p.child_files[0]).toMatchObject({
			name: 'crop_example_1.jpg',
			format: 'jpg',
			crop_info: { page: 0, imageAngle: '0' },
			from_parent_position_list: [12, 30, 420, 30, 420, 320, 12, 320],
			task_detail_url: expect.stringContaining(p.child_files[0].task_id),
		});
		expect(p.child_files[1].crop_info).toEqual({ page: 0, imageAngle: '90' });
	});
});

describe('fetch', () => {
	test('setMaxPageSize caps page_size whatever is asked (total unchanged); reset() lifts the cap', async () => {
		for (const name of ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf']) await upload(name, { batch_number: 'CAP' });
		emu.setMaxPageSize(2);
		const p1 = await fetchFiles({ batch_number: 'CAP', page_size: 100 });
		expect(p1).toMatchObject({ total: 5, page: 1, page_size: 2 });
		expect(p1.files.map((f) => f.name)).toEqual(['a.pdf', 'b.pdf']);
		const p3 = await fetchFiles({ batch_number: 'CAP', page: 3, page_size: 100 });
		expect(p3.files.map((f) => f.name)).toEqual(['e.pdf']);
		expect((await fetchFiles({ batch_number: 'CAP', page_size: 1 })).page_size).toBe(1);
		emu.reset();
		await upload('f.pdf', { batch_number: 'CAP' });
		await upload('g.pdf', { batch_number: 'CAP' });
		await upload('h.pdf', { batch_number: 'CAP' });
		expect((await fetchFiles({ batch_number: 'CAP', page_size: 100 })).files).toHaveLength(3);
	});

	test('option maxPageSize: the cap from the start, kept by reset()', async () => {
		const capped = await startDocflowEmulator({ maxPageSize: 1 });
		try {
			for (const name of ['a.pdf', 'b.pdf']) {
				const r = await call(capped.url, 'POST', 'file/upload', { query: { workspace_id: WS, batch_number: 'O' }, form: form([{ name, data: fakePdf(name) }]) });
				expect(r.json.code).toBe(200);
			}
			capped.reset();
			await call(capped.url, 'POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name: 'c.pdf', data: fakePdf('c') }]) });
			const r = await call(capped.url, 'GET', 'file/fetch', { query: { workspace_id: WS, page_size: 50 } });
			expect(r.json.result).toMatchObject({ total: 1, page_size: 1 });
			capped.setMaxPageSize(undefined);
			expect((await call(capped.url, 'GET', 'file/fetch', { query: { workspace_id: WS, page_size: 50 } })).json.result.page_size).toBe(1);
		} finally {
			await capped.close();
		}
	});

	test('filters and paging', async () => {
		const b1 = await upload('a.pdf', { batch_number: 'B1' });
		await upload('receipt-b.pdf', { batch_number: 'B1' });
		await upload('c.pdf', { batch_number: 'B2' });
		emu.advance(4000);
		await upload('d.pdf', { batch_number: 'B2' });
		await upload('e.pdf', { batch_number: 'B2' });

		const all = await fetchFiles();
		expect(all).toMatchObject({ total: 5, page: 1, page_size: 1000 });
		expect(all.files.map((f) => f.name)).toEqual(['a.pdf', 'receipt-b.pdf', 'c.pdf', 'd.pdf', 'e.pdf']);

		const p2 = await fetchFiles({ page: 2, page_size: 2 });
		expect(p2).toMatchObject({ total: 5, page: 2, page_size: 2 });
		expect(p2.files.map((f) => f.name)).toEqual(['c.pdf', 'd.pdf']);
		const p3 = await fetchFiles({ page: 3, page_size: 2 });
		expect(p3.files.map((f) => f.name)).toEqual(['e.pdf']);
		expect((await fetchFiles({ page: 4, page_size: 2 })).files).toEqual([]);

		expect((await fetchFiles({ batch_number: 'B2' })).total).toBe(3);
		expect((await fetchFiles({ recognition_status: 1 })).total).toBe(3);
		expect((await fetchFiles({ recognition_status: 5 })).total).toBe(2);
		expect((await fetchFiles({ recognition_status: 1, batch_number: 'B2' })).total).toBe(1);
		expect((await fetchFiles({ category: 'receipt' })).files.map((f) => f.name)).toEqual(['receipt-b.pdf']);
		expect((await fetchFiles({ verification_status: 0 })).total).toBe(5);
		expect((await fetchFiles({ verification_status: 2 })).total).toBe(0);
		expect((await fetchFiles({ file_id: b1.files[0].id })).files.map((f) => f.name)).toEqual(['a.pdf']);
		expect((await fetchFiles({ task_id: b1.files[0].task_id })).total).toBe(1);
		expect((await fetchFiles({ task_id: '123' })).total).toBe(0);

		const future = new Date(emu.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const past = new Date(emu.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
		expect((await fetchFiles({ start_time: future })).total).toBe(0);
		expect((await fetchFiles({ start_time: past, end_time: future })).total).toBe(5);
		expect((await fetchFiles({ end_time: past })).total).toBe(0);

		for (const [k, v] of [
			['start_time', '2024-01-01 00:00:00'],
			['end_time', 'yesterday'],
			['page_size', '1001'],
			['page', '0'],
			['recognition_status', '9'],
			['with_document', 'yes'],
		]) {
			const r = await api('GET', 'file/fetch', { query: { workspace_id: WS, [k]: v } });
			expect(r.json.code).toBe(40004);
			expect(r.json.msg).toContain(k);
		}
		expect((await api('GET', 'file/fetch', { query: { workspace_id: '2234567890' } })).json.result.total).toBe(0);
		expect((await api('GET', 'file/fetch', { query: { workspace_id: 'nope' } })).json).toMatchObject({
			code: 40004,
			msg: '工作空间不存在',
		});
	});

	test('with_document and with_task_detail_url', async () => {
		await upload('doc.pdf');
		emu.finishAll();
		const plain = (await fetchFiles()).files[0];
		expect(plain.document).toBeUndefined();
		expect(plain.task_detail_url).toBeUndefined();
		const f = (await fetchFiles({ with_document: true, with_task_detail_url: true })).files[0];
		expect(f.document.pages[0]).toMatchObject({ angle: 0, width: expect.any(Number), height: expect.any(Number) });
		expect(f.document.pages[0].lines[0]).toMatchObject({ text: expect.any(String), position: expect.any(Array) });
		expect(f.task_detail_url).toMatch(/^http/);
	});
});

describe('retry', () => {
	test('rules: unknown, child, in progress, success path, parser_params merge', async () => {
		const up = await upload('retry.pdf', { split_flag: true, parser_dpi: 216 });
		const tid = up.files[0].task_id;
		const inProgress = await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: tid } });
		expect(inProgress.json).toEqual({ code: 40006, msg: '任务处理中，暂不支持重试', traceId: inProgress.headers['x-ti-trace-id'] });

		const unknown = await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: '42' } });
		expect(unknown.json).toMatchObject({ code: 40004, msg: 'task not found' });
		const otherWs = await api('POST', 'file/retry', { json: { workspace_id: '2234567890', task_id: tid } });
		expect(otherWs.json).toMatchObject({ code: 40004, msg: 'task not found' });
		expect((await api('POST', 'file/retry', { json: { task_id: tid } })).json).toMatchObject({
			code: 40004,
			msg: 'workspace_id is required',
		});
		expect((await api('POST', 'file/retry', { json: { workspace_id: WS } })).json).toMatchObject({
			code: 40004,
			msg: 'task_id is required',
		});

		emu.finishAll();
		const parent = (await fetchFiles()).files[0];
		const child = parent.child_files[0];
		const childRetry = await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: child.task_id } });
		expect(childRetry.json).toEqual({ code: 40005, msg: '子任务不支持重试，请重试其父任务', traceId: childRetry.headers['x-ti-trace-id'] });

		const badPp = await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: tid, parser_params: { dpi: 300 } } });
		expect(badPp.json.code).toBe(40004);
		const unknownPp = await api('POST', 'file/retry', { json: { workspace_id: WS, task_id: tid, parser_params: { parser_dpi: 144 } } });
		expect(unknownPp.json.code).toBe(40004);

		const ok = await api('POST', 'file/retry', {
			json: { workspace_id: WS, task_id: tid, parser_params: { formula_level: 2, parse_mode: 'scan' } },
		});
		expect(ok.json).toEqual({ code: 200, msg: 'success' });
		let f = (await fetchFiles()).files[0];
		expect(f.recognition_status).toBe(5);
		expect(f.child_files).toBeUndefined();
		expect(emu.tasks()).toHaveLength(1); // children cleared
		expect(f.parser_params).toMatchObject({ dpi: 216, formula_level: 2, parse_mode: 'scan' });
		emu.advance(10_000);
		f = (await fetchFiles()).files[0];
		expect(f.recognition_status).toBe(1);
		expect(f.child_files).toHaveLength(2);
		expect(f.child_files[0].task_id).not.toBe(child.task_id);
		expect(emu.tasks()[0].attempts).toBe(2);
		// old child is gone
		expect((await fetchFiles({ task_id: child.task_id })).total).toBe(0);
	});

	test('retry via signature auth', async () => {
		const up = await upload('s.pdf');
		emu.finishAll();
		const r = await api('POST', 'file/retry', { auth: 'signature', json: { workspace_id: WS, task_id: up.files[0].task_id } });
		expect(r.json.code).toBe(200);
	});
});

describe('workspaces and categories', () => {
	test('workspace/list', async () => {
		const r = await api('GET', 'workspace/list', { query: { enterprise_id: '1001' } });
		expect(r.json.result).toMatchObject({ total: 2, page: 1, page_size: 20 });
		expect(r.json.result.workspaces.map((w: any) => [w.workspace_id, w.name])).toEqual([
			['1234567890', 'Invoices'],
			['2234567890', 'Contracts'],
		]);
		expect(r.json.result.workspaces[0]).toMatchObject({ auth_scope: 1, manage_account_name: expect.any(String) });
		const paged = await api('GET', 'workspace/list', { query: { enterprise_id: '1001', page: 2, page_size: 1 } });
		expect(paged.json.result).toMatchObject({ total: 2, page: 2, page_size: 1 });
		expect(paged.json.result.workspaces.map((w: any) => w.workspace_id)).toEqual(['2234567890']);
		expect((await api('GET', 'workspace/list', { query: { enterprise_id: '2002' } })).json).toMatchObject({ code: 40301 });
		expect((await api('GET', 'workspace/list')).json).toMatchObject({ code: 40004, msg: 'enterprise_id is required' });
	});

	test('category/list', async () => {
		const r = await api('GET', 'category/list', { query: { workspace_id: WS } });
		expect(r.json.result).toMatchObject({ total: 3, page: 1, page_size: 20 });
		expect(r.json.result.categories.map((c: any) => c.name)).toEqual(['发票', 'receipt', 'contract']);
		expect(r.json.result.categories[0]).toMatchObject({ id: expect.any(String), enabled: 1, extract_model: 'Acgpt' });
		const all = await api('GET', 'category/list', { query: { workspace_id: WS, enabled: 'all' } });
		expect(all.json.result.total).toBe(4);
		const disabled = await api('GET', 'category/list', { query: { workspace_id: WS, enabled: '0' } });
		expect(disabled.json.result.categories.map((c: any) => [c.name, c.enabled])).toEqual([['old form', 0]]);
		const paged = await api('GET', 'category/list', { query: { workspace_id: WS, page: 2, page_size: 2 } });
		expect(paged.json.result.categories.map((c: any) => c.name)).toEqual(['contract']);
		expect((await api('GET', 'category/list', { query: { workspace_id: WS, page_size: 101 } })).json.code).toBe(40004);
		expect((await api('GET', 'category/list', { query: { workspace_id: WS, enabled: 'yes' } })).json.code).toBe(40004);
		expect((await api('GET', 'category/list', { query: { workspace_id: '3234567890' } })).json).toMatchObject({
			code: 40004,
			msg: '工作空间不存在',
		});
	});
});

describe('upload/sync', () => {
	// file/upload/sync answers once the files are processed (see uploadSync.test.ts): short steps keep these quick.
	beforeEach(() => emu.setStepMs(20));

	test('returns final fetch-style results', async () => {
		const f = form([
			{ name: 'inv.pdf', data: fakePdf('1') },
			{ name: 'receipt.png', data: fakePdf('2') },
		]);
		const r = await api('POST', 'file/upload/sync', {
			query: { workspace_id: WS, with_task_detail_url: true, batch_number: 'S1' },
			form: f,
		});
		expect(r.json.code).toBe(200);
		expect(r.json.result).toMatchObject({ total: 2, page: 1, page_size: 2 });
		const files = r.json.result.files;
		expect(files.map((x: any) => [x.name, x.recognition_status, x.category, x.batch_number])).toEqual([
			['inv.pdf', 1, '发票', 'S1'],
			['receipt.png', 1, 'receipt', 'S1'],
		]);
		expect(files[0].task_detail_url).toBeDefined();
		expect(files[0].data.fields.length).toBeGreaterThan(0);
		expect((await fetchFiles({ batch_number: 'S1' })).files.map((x) => x.recognition_status)).toEqual([1, 1]);
	});

	test('sync with split and with a failing file; same validation as upload', async () => {
		const r = await api('POST', 'file/upload/sync', {
			query: { workspace_id: WS, split_flag: true },
			form: form([{ name: 'fail.pdf', data: 'x' }]),
		});
		expect(r.json.result.files[0]).toMatchObject({ recognition_status: 2, failure_causes: expect.any(String), task_type: 2 });
		const s = await api('POST', 'file/upload/sync', {
			query: { workspace_id: WS, split_flag: true },
			json: { urls: ['https://e.com/ok.pdf'] },
		});
		expect(s.json.result.files[0].child_files).toHaveLength(2);
		const bad = await api('POST', 'file/upload/sync', {
			query: { workspace_id: WS, with_task_detail_url: 'maybe' },
			form: form([{ name: 'a.pdf', data: 'x' }]),
		});
		expect(bad.json.code).toBe(40004);
	});
});

describe('control API', () => {
	test('reset, clearRequests, latency', async () => {
		await upload('a.pdf');
		emu.advance(5000);
		emu.injectFault({ path: 'auth/token', kind: 'non-json' });
		emu.setLatency(150);
		const slow = await api('GET', 'workspace/list', { query: { enterprise_id: '1001' } });
		expect(slow.ms).toBeGreaterThanOrEqual(140);
		emu.clearRequests();
		expect(emu.requests).toHaveLength(0);
		emu.reset();
		expect(emu.tasks()).toEqual([]);
		expect(Math.abs(emu.now() - Date.now())).toBeLessThan(50);
		const fast = await api('GET', 'auth/token');
		expect(fast.json.code).toBe(200); // fault cleared
		expect(fast.ms).toBeLessThan(140);
		expect(emu.requests).toHaveLength(1);
	});

	test('finishTask and setAdvancePerFetch', async () => {
		await upload('one.pdf');
		await upload('two.pdf', { split_flag: true });
		const [t1, t2] = emu.tasks();
		emu.finishTask(t2.taskId);
		expect((await fetchFiles()).files.map((f) => f.recognition_status)).toEqual([5, 1]);
		expect(emu.tasks()).toHaveLength(4); // children materialised
		expect(() => emu.finishTask('nope')).toThrow();
		emu.setAdvancePerFetch(1000);
		// each fetch moves the clock one step before answering: 20, 3, 4, 1
		const seen: number[] = [];
		for (let i = 0; i < 4; i++) seen.push((await fetchFiles({ task_id: t1.taskId })).files[0].recognition_status);
		expect(seen).toEqual([20, 3, 4, 1]);
		emu.reset();
		await upload('three.pdf');
		expect((await fetchFiles()).files[0].recognition_status).toBe(5);
	});

	test('recorded request details', async () => {
		await api('GET', 'file/fetch', { query: { workspace_id: WS, category: '发 票+x' } });
		const r = emu.requests[0];
		expect(r).toMatchObject({
			method: 'GET',
			path: PREFIX + 'file/fetch',
			query: { workspace_id: WS, category: '发 票+x' },
			status: 200,
			code: 200,
			bodyLength: 0,
		});
		expect(r.rawQuery).toContain('workspace_id=' + WS);
		expect(r.bodySha256).toBe(sha256(''));
		expect(r.headers['x-ti-app-id']).toBe(APP_ID);
	});

	test('close() ends keep-alive connections and hanging requests', async () => {
		const e2 = await startDocflowEmulator({ stepMs: 10 });
		e2.injectFault({ path: 'auth/token', kind: 'hang-after' });
		const pending = request(e2.url + PREFIX + 'auth/token', {
			headers: { 'x-ti-app-id': APP_ID, 'x-ti-secret-code': SECRET },
			dispatcher: agent,
		}).then(
			() => 'answered',
			() => 'failed',
		);
		await new Promise((r) => setTimeout(r, 100));
		const t0 = Date.now();
		await e2.close();
		expect(Date.now() - t0).toBeLessThan(1000);
		expect(await pending).toBe('failed');
	});
});
