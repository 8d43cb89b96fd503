import FormData from 'form-data';
import { request } from 'undici';

import type { DocflowEmulator } from './index.ts';
import { APP_ID, PREFIX, SECRET, WS, agent, fakePdf, sha256 } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';
import { SAMPLE_MSG, seedSampleOf } from './routes/categorySample.ts';
import { unzip } from '../nodes/DocFlow/actions/categorySample/unzip.ts';

const INVOICE = { id: '1900000000000000001', name: '发票' };
const RECEIPT = { id: '1900000000000000002', name: 'receipt' };

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started));

function sampleForm(
	fields: Record<string, string>,
	files: Array<{ name: string; data: Buffer }>,
	fieldName = 'files',
): FormData {
	const f = new FormData();
	for (const [name, value] of Object.entries(fields)) f.append(name, value);
	for (const file of files) f.append(fieldName, file.data, { filename: file.name, contentType: 'application/pdf' });
	return f;
}

const upload = (files: Array<{ name: string; data: Buffer }>, fields: Record<string, string> = {}) =>
	api('POST', 'category/sample/batch_upload', {
		form: sampleForm({ workspace_id: WS, category_id: INVOICE.id, with_detail: 'true', ...fields }, files),
	});

const list = async (categoryId = INVOICE.id, query: Record<string, string | number> = {}) => {
	const r = await api('GET', 'category/sample/list', { query: { workspace_id: WS, category_id: categoryId, ...query } });
	return r.json;
};

/** The raw bytes of a download (helpers.call reads text). */
async function download(body: unknown) {
	const res = await request(`${emu.url}${PREFIX}category/sample/batch_download`, {
		method: 'POST',
		headers: { 'x-ti-app-id': APP_ID, 'x-ti-secret-code': SECRET, 'content-type': 'application/json' },
		body: JSON.stringify(body),
		dispatcher: agent,
	});
	const data = Buffer.from(await res.body.arrayBuffer());
	return { status: res.statusCode, headers: res.headers as Record<string, string>, data };
}

describe('category/sample', () => {
	test('every category starts with its seed sample; list pages with total', async () => {
		const first = await list();
		expect(first).toMatchObject({ code: 200, result: { total: 1, page: 1, page_size: 20 } });
		expect(first.result.samples).toEqual([{ sample_id: expect.stringMatching(/^\d{19}$/), file_name: '发票-sample.pdf' }]);

		const files = Array.from({ length: 4 }, (_, i) => ({ name: `s${i}.pdf`, data: fakePdf(`s${i}`) }));
		expect((await upload(files)).json.code).toBe(200);
		const page2 = await list(INVOICE.id, { page: 2, page_size: 2 });
		expect(page2.result).toMatchObject({ total: 5, page: 2, page_size: 2 });
		expect(page2.result.samples.map((s: { file_name: string }) => s.file_name)).toEqual(['s1.pdf', 's2.pdf']);
		expect((await list(INVOICE.id, { page_size: 101 })).msg).toBe('invalid page_size: must be an integer between 1 and 100');
	});

	test('a category a route created with sample files (category/create) starts with those instead of a seed', async () => {
		const data = fakePdf('created');
		emu.workspaces[0].categories.push({ id: '1900000000000000099', name: 'created', enabled: '1', sample_files: [{ file_name: 'first.pdf', data }] } as never);
		expect((await list('1900000000000000099')).result.samples.map((s: { file_name: string }) => s.file_name)).toEqual(['first.pdf']);
		const zip = await download({ workspace_id: WS, category_id: '1900000000000000099' });
		expect(unzip(zip.data).map((e) => sha256(e.data))).toEqual([sha256(data)]);
	});

	test('batch_upload: form fields, several files, with_detail lists the category; without it nothing', async () => {
		const a = fakePdf('a');
		const r = await upload([
			{ name: 'a.pdf', data: a },
			{ name: 'dir/b.pdf', data: fakePdf('b') },
		]);
		expect(r.json.code).toBe(200);
		expect(r.json.result.samples.map((s: { file_name: string }) => s.file_name)).toEqual(['发票-sample.pdf', 'a.pdf', 'b.pdf']);
		const plain = await upload([{ name: 'c.pdf', data: fakePdf('c') }], { with_detail: 'false' });
		expect(plain.json).toEqual({ code: 200, msg: 'success', result: {} });
		expect(emu.requests.at(-1)?.parts?.map((p) => p.name)).toEqual(['workspace_id', 'category_id', 'with_detail', 'files']);
	});

	test('batch_upload validates as the spec says', async () => {
		const pdf = { name: 'a.pdf', data: fakePdf('a') };
		const refused = async (form: FormData) =>
			(await api('POST', 'category/sample/batch_upload', { form })).json as { code: number; msg: string };
		expect(await refused(sampleForm({ category_id: INVOICE.id }, [pdf]))).toMatchObject({ code: 40004, msg: 'workspace_id is required' });
		expect(await refused(sampleForm({ workspace_id: '404', category_id: INVOICE.id }, [pdf]))).toMatchObject({ code: 40004, msg: '工作空间不存在' });
		expect(await refused(sampleForm({ workspace_id: WS }, [pdf]))).toMatchObject({ code: 40004, msg: SAMPLE_MSG.CATEGORY_REQUIRED });
		expect(await refused(sampleForm({ workspace_id: WS, category_id: '1900000000000000011' }, [pdf]))).toMatchObject({
			code: 40004,
			msg: SAMPLE_MSG.CATEGORY_NOT_FOUND,
		});
		const fields = { workspace_id: WS, category_id: INVOICE.id };
		expect(await refused(sampleForm(fields, []))).toMatchObject({ msg: SAMPLE_MSG.FILES_REQUIRED });
		expect(await refused(sampleForm(fields, [pdf], 'file'))).toMatchObject({ msg: SAMPLE_MSG.FILES_REQUIRED });
		expect(await refused(sampleForm({ ...fields, with_detail: 'yes' }, [pdf]))).toMatchObject({ msg: 'invalid with_detail: must be true or false' });
		expect(await refused(sampleForm(fields, [{ name: 'e.pdf', data: Buffer.alloc(0) }]))).toMatchObject({ msg: 'file is empty: e.pdf' });
		expect(await refused(sampleForm(fields, [{ name: 'a.exe', data: Buffer.from('MZ') }]))).toMatchObject({
			msg: expect.stringMatching(/^unsupported file format: a\.exe/),
		});
		const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.pdf`, data: fakePdf(String(i)) }));
		expect(await refused(sampleForm(fields, eleven))).toMatchObject({ msg: 'too many files: 11 (at most 10 per upload)' });
		const big = await api('POST', 'category/sample/batch_upload', {
			form: sampleForm(fields, [{ name: 'big.pdf', data: Buffer.alloc(100 * 1024 * 1024 + 1, 1) }]),
		});
		expect(big.json).toMatchObject({ code: 40004, msg: 'file too large: big.pdf (104857601 bytes, max 100MB)' });
		// Nothing of a refused request is stored.
		expect((await list()).result.total).toBe(1);
	});

	test('at most 20 samples per category; the request that would pass it stores nothing', async () => {
		const ten = (tag: string) => Array.from({ length: 10 }, (_, i) => ({ name: `${tag}${i}.pdf`, data: fakePdf(`${tag}${i}`) }));
		expect((await upload(ten('a'))).json.code).toBe(200);
		const over = await upload(ten('b'));
		expect(over.json).toMatchObject({ code: 40004, msg: 'too many samples: category 发票 has 11, at most 20 per category' });
		expect((await list()).result.total).toBe(11);
		expect((await upload(ten('c').slice(0, 9))).json.code).toBe(200);
		expect((await list()).result.total).toBe(20);
	});

	test('batch_download: a ZIP of the chosen samples, or of all; entries byte for byte', async () => {
		const a = fakePdf('a');
		const b = Buffer.concat([fakePdf('b'), Buffer.alloc(5000, 7)]);
		await upload([
			{ name: 'a.pdf', data: a },
			{ name: '样本 b.pdf', data: b },
		]);
		const samples = (await list()).result.samples as Array<{ sample_id: string; file_name: string }>;
		const all = await download({ workspace_id: WS, category_id: INVOICE.id });
		expect(all.status).toBe(200);
		expect(all.headers['content-type']).toBe('application/zip');
		expect(all.headers['content-disposition']).toBe(
			`attachment; filename="category-${INVOICE.id}-samples.zip"; filename*=UTF-8''${encodeURIComponent('发票_samples.zip')}`,
		);
		expect(unzip(all.data).map((e) => [e.name, sha256(e.data)])).toEqual([
			['发票-sample.pdf', sha256(seedSampleOf(INVOICE).data)],
			['a.pdf', sha256(a)],
			['样本 b.pdf', sha256(b)],
		]);
		const chosen = await download({ workspace_id: WS, category_id: INVOICE.id, sample_ids: [samples[2].sample_id] });
		expect(unzip(chosen.data).map((e) => [e.name, sha256(e.data)])).toEqual([['样本 b.pdf', sha256(b)]]);
	});

	test('batch_download refuses unknown samples, bad sample_ids, unknown categories, as JSON', async () => {
		const refused = async (body: unknown) => {
			const r = await download(body);
			expect(r.status).toBe(200);
			expect(r.headers['content-type']).toMatch(/^application\/json/);
			return JSON.parse(r.data.toString('utf8'));
		};
		expect(await refused({ workspace_id: WS, category_id: INVOICE.id, sample_ids: ['42'] })).toMatchObject({ code: 40004, msg: 'sample does not exist: 42' });
		expect(await refused({ workspace_id: WS, category_id: INVOICE.id, sample_ids: [] })).toMatchObject({ msg: 'sample_ids must be a non-empty array' });
		expect(await refused({ workspace_id: WS, category_id: INVOICE.id, sample_ids: [42] })).toMatchObject({ msg: 'invalid sample_ids: 42 is not a string' });
		expect(await refused({ workspace_id: WS, category_id: '7' })).toMatchObject({ code: 40004, msg: SAMPLE_MSG.CATEGORY_NOT_FOUND });
		expect(await refused({ workspace_id: WS })).toMatchObject({ msg: SAMPLE_MSG.CATEGORY_REQUIRED });
	});

	test('delete: gone from the list and the ZIP; unknown IDs and the last sample refused; state per category', async () => {
		await upload([
			{ name: 'a.pdf', data: fakePdf('a') },
			{ name: 'b.pdf', data: fakePdf('b') },
		]);
		const samples = (await list()).result.samples as Array<{ sample_id: string; file_name: string }>;
		const del = (body: Record<string, unknown>) =>
			api('POST', 'category/sample/delete', { json: { workspace_id: WS, category_id: INVOICE.id, ...body } });
		expect((await del({ sample_ids: [samples[1].sample_id, 'nope'] })).json).toMatchObject({ code: 40004, msg: 'sample does not exist: nope' });
		expect((await list()).result.total).toBe(3);
		expect((await del({})).json).toMatchObject({ code: 40004, msg: SAMPLE_MSG.SAMPLE_IDS_REQUIRED });
		expect((await del({ sample_ids: [samples[1].sample_id] })).json).toEqual({ code: 200, msg: 'success' });
		expect((await list()).result.samples.map((s: { file_name: string }) => s.file_name)).toEqual(['发票-sample.pdf', 'b.pdf']);
		expect((await del({ sample_ids: [samples[1].sample_id] })).json.msg).toBe(`sample does not exist: ${samples[1].sample_id}`);
		expect((await del({ sample_ids: [samples[0].sample_id, samples[2].sample_id] })).json).toMatchObject({ code: 40004, msg: SAMPLE_MSG.KEEP_ONE });
		// Another category is untouched; reset brings back the seed alone.
		expect((await list(RECEIPT.id)).result.samples.map((s: { file_name: string }) => s.file_name)).toEqual(['receipt-sample.pdf']);
		emu.reset();
		expect((await list()).result.total).toBe(1);
	});
});
