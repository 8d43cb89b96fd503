// file/upload/sync holds the connection for the processing time; upload refusals as DocFlow makes them.
import type { DocflowEmulator } from './index.ts';
import { WS, fakePdf, form } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started));

describe('file/upload/sync answers only after the (virtual) processing time', () => {
	test('held for steps × stepMs (4 × 200 ms for a regular extraction); meanwhile file/fetch shows the file in progress', async () => {
		emu.setStepMs(200);
		const held = api('POST', 'file/upload/sync', {
			query: { workspace_id: WS, batch_number: 'held-1' },
			form: form([{ name: 'inv.pdf', data: fakePdf('held') }]),
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		const during = await api('GET', 'file/fetch', { query: { workspace_id: WS, batch_number: 'held-1' } });
		expect(during.json.result.files).toHaveLength(1);
		expect([0, 3, 4, 5, 20]).toContain(during.json.result.files[0].recognition_status);
		const r = await held;
		expect(r.ms).toBeGreaterThanOrEqual(780);
		expect(r.json.code).toBe(200);
		expect(r.json.result.files.map((f: { name: string; recognition_status: number }) => [f.name, f.recognition_status])).toEqual([['inv.pdf', 1]]);
		expect(r.json.result.files[0].duration_ms).toBeGreaterThanOrEqual(780);
	});

	test('a split parent is answered once its parts exist, the parts inside it', async () => {
		emu.setStepMs(50);
		const r = await api('POST', 'file/upload/sync', {
			query: { workspace_id: WS, split_flag: true },
			form: form([{ name: 'bundle.pdf', data: fakePdf('bundle') }]),
		});
		expect(r.ms).toBeGreaterThanOrEqual(240);
		expect(r.json.result.files[0]).toMatchObject({ recognition_status: 1, task_type: 2 });
		expect(r.json.result.files[0].child_files.map((c: { recognition_status: number }) => c.recognition_status)).toEqual([1, 1]);
	});

	test('emu.advance() and emu.finishAll() end the hold at once', async () => {
		emu.setStepMs(3_600_000);
		const held = api('POST', 'file/upload/sync', { query: { workspace_id: WS }, form: form([{ name: 'a.pdf', data: fakePdf('a') }]) });
		await new Promise((resolve) => setTimeout(resolve, 100));
		emu.advance(4 * 3_600_000);
		const r = await held;
		expect(r.ms).toBeLessThan(1000);
		expect(r.json.result.files[0].recognition_status).toBe(1);

		const second = api('POST', 'file/upload/sync', { query: { workspace_id: WS }, form: form([{ name: 'b.pdf', data: fakePdf('b') }]) });
		await new Promise((resolve) => setTimeout(resolve, 100));
		emu.finishAll();
		expect((await second).json.result.files[0].recognition_status).toBe(1);
	});

	test('a hang-after fault: the files are stored, the answer never comes', async () => {
		emu.setStepMs(10);
		emu.injectFault({ path: 'file/upload/sync', kind: 'hang-after' });
		const r = await api('POST', 'file/upload/sync', {
			query: { workspace_id: WS, batch_number: 'hung' },
			form: form([{ name: 'h.pdf', data: fakePdf('h') }]),
			headersTimeout: 500,
		}).catch((error: Error) => error);
		expect(r).toBeInstanceOf(Error);
		expect(emu.tasks().map((t) => [t.name, t.batchNumber])).toEqual([['h.pdf', 'hung']]);
		expect(emu.requests[0]).toMatchObject({ fault: 'hang-after', status: 0 });
	});
});

describe('upload refusals as DocFlow makes them (both endpoints)', () => {
	test.each(['file/upload', 'file/upload/sync'])('%s: a file DocFlow cannot take is left out of the answer and not stored; the others are', async (endpoint) => {
		emu.setStepMs(10);
		const r = await api('POST', endpoint, {
			query: { workspace_id: WS, batch_number: 'partial' },
			form: form([
				{ name: 'first.pdf', data: fakePdf('1') },
				{ name: 'scan-unaccepted.pdf', data: fakePdf('2') },
				{ name: 'third.pdf', data: fakePdf('3') },
			]),
		});
		expect(r.json.code).toBe(200);
		expect(r.json.result.files.map((f: { name: string }) => f.name)).toEqual(['first.pdf', 'third.pdf']);
		expect(emu.tasks().map((t) => t.name)).toEqual(['first.pdf', 'third.pdf']);
	});

	test('a request of nothing but such files: 40004, nothing stored', async () => {
		const r = await api('POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name: 'x-unaccepted.pdf', data: fakePdf('x') }]) });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ code: 40004, msg: 'file upload failed: x-unaccepted.pdf' });
		expect(emu.tasks()).toEqual([]);
	});

	test('a corrupt file refuses the whole request (HTTP 200, code 40004, naming it): nothing of it is stored', async () => {
		const r = await api('POST', 'file/upload', {
			query: { workspace_id: WS },
			form: form([
				{ name: 'fine.pdf', data: fakePdf('f') },
				{ name: 'corrupt-scan.pdf', data: fakePdf('c') },
			]),
		});
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ code: 40004, msg: 'file is corrupt and cannot be read: corrupt-scan.pdf' });
		expect(r.json.traceId).toBe(r.headers['x-ti-trace-id']);
		expect(emu.tasks()).toEqual([]);
	});
});
