// What a client that follows DocFlow over time sees: update times that move as files progress or
// people verify them, DocFlow's own clock (setClockSkew), and the test hooks around file/fetch.
import type { DocflowEmulator } from './index.ts';
import { WS, fakePdf, form } from './helpers.ts';
import { emulatorPerTestFile } from './perTestFile.ts';

let emu: DocflowEmulator;
const api = emulatorPerTestFile((started) => (emu = started), { stepMs: 1000 });
const fetchFiles = async (query: Record<string, string | number | boolean> = {}) => {
	const r = await api('GET', 'file/fetch', { query: { workspace_id: WS, ...query } });
	expect(r.json.code).toBe(200);
	return r.json.result as { total: number; files: any[] };
};
const upload = async (name: string) => {
	const r = await api('POST', 'file/upload', { query: { workspace_id: WS }, form: form([{ name, data: fakePdf(name) }]) });
	expect(r.json.code).toBe(200);
	return (r.json.result as { files: Array<{ task_id: string }> }).files[0].task_id;
};
/** RFC 3339 in whole seconds, `s` seconds from the emulator's virtual now (the test's clock). */
const at = (s: number) => new Date(Math.floor(emu.now() / 1000) * 1000 + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('update time', () => {
	test('moves with every processing step, and stops when the file is finished', async () => {
		await upload('a.pdf');
		emu.advance(2_500); // preparing → parsing → classifying
		expect((await fetchFiles({ start_time: at(-1), end_time: at(1) })).total).toBe(1);
		expect((await fetchFiles({ start_time: at(-1), end_time: at(1), recognition_status: 3 })).total).toBe(1);
		emu.advance(60_000); // finished 2 s after classifying, long ago now
		expect((await fetchFiles({ start_time: at(-30), end_time: at(1) })).total).toBe(0);
		expect((await fetchFiles({ start_time: at(-120), end_time: at(-30), recognition_status: 1 })).total).toBe(1);
	});

	test('setVerification: a person confirms or rejects; the status shows, filters, and the update time moves', async () => {
		const task = await upload('a.pdf');
		emu.finishAll();
		emu.advance(600_000);
		expect((await fetchFiles({ start_time: at(-60), end_time: at(60) })).total).toBe(0);

		emu.setVerification(task, 2);
		const recent = await fetchFiles({ start_time: at(-60), end_time: at(60) });
		expect(recent.files.map((f) => [f.task_id, f.verification_status, f.recognition_status])).toEqual([[task, 2, 1]]);
		expect((await fetchFiles({ verification_status: 2 })).total).toBe(1);
		expect((await fetchFiles({ verification_status: 0 })).total).toBe(0);

		emu.advance(1_000);
		emu.setVerification(task, 3);
		expect((await fetchFiles({ verification_status: 3 })).files[0].verification_status).toBe(3);
		expect(() => emu.setVerification('404', 2)).toThrow('unknown task id: 404');
		emu.reset();
		expect((await fetchFiles()).total).toBe(0);
	});

	test('setClockSkew: DocFlow stamps and compares update times in its own clock; reset() sets it back', async () => {
		await upload('a.pdf');
		emu.finishAll();
		const ours = { start_time: at(-2), end_time: at(2) };
		expect((await fetchFiles(ours)).total).toBe(1);

		emu.setClockSkew(60_000); // DocFlow a minute ahead: the file's update time is a minute later
		expect((await fetchFiles(ours)).total).toBe(0);
		expect((await fetchFiles({ start_time: at(58), end_time: at(62) })).total).toBe(1);

		emu.setClockSkew(-60_000); // a minute behind
		expect((await fetchFiles({ start_time: at(-62), end_time: at(-58) })).total).toBe(1);

		emu.reset();
		await upload('b.pdf');
		emu.finishAll();
		expect((await fetchFiles(ours)).total).toBe(1);
	});
});

describe('test hooks around file/fetch', () => {
	test('beforeFetch runs with the query before every answer, which shows what it changed; reset() removes it', async () => {
		const task = await upload('a.pdf');
		const seen: Array<Record<string, string>> = [];
		emu.beforeFetch((query) => {
			seen.push(query);
			emu.finishTask(task);
		});
		const r = await fetchFiles({ page: 1, page_size: 5 });
		expect(r.files[0].recognition_status).toBe(1);
		expect(seen).toEqual([{ workspace_id: WS, page: '1', page_size: '5' }]);
		emu.reset();
		await fetchFiles();
		expect(seen).toHaveLength(1);
	});

	test('setFetchOrder("updated-desc"): most recently updated first, so pages shift when a file changes', async () => {
		const a = await upload('a.pdf');
		emu.advance(1_000);
		await upload('b.pdf');
		emu.advance(1_000);
		await upload('c.pdf');
		emu.finishAll();
		expect((await fetchFiles()).files.map((f) => f.name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);

		emu.setFetchOrder('updated-desc');
		expect((await fetchFiles()).files.map((f) => f.name)).toEqual(['c.pdf', 'b.pdf', 'a.pdf']);
		emu.advance(1_000);
		emu.setVerification(a, 2);
		expect((await fetchFiles({ page: 1, page_size: 2 })).files.map((f) => f.name)).toEqual(['a.pdf', 'c.pdf']);

		emu.reset();
		await upload('x.pdf');
		emu.advance(1_000);
		await upload('y.pdf');
		expect((await fetchFiles()).files.map((f) => f.name)).toEqual(['x.pdf', 'y.pdf']);
	});
});
