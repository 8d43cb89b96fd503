/**
 * The DocFlow Trigger through n8n-core's real poll machinery (test/harness/poll.ts) against the
 * emulator: what each poll sends, what it reports, and what it remembers.
 */
import { ENTERPRISE_ID, credentialFor, rawFetch, seedUpload, useEmulator, workspace } from '../../../harness/fixtures.ts';
import { DocFlowTrigger } from '../../../../nodes/DocFlow/DocFlowTrigger.node';
import { ActiveTrigger, fetchTestEvent, resolveForTrigger, triggerLoadOptionsContext } from '../../../harness/poll.ts';
import { OVERLAP_MS, SETTLE_MS, START, WORKSPACE_ID, fetchRequests, iso, triggerParameters, useMachineClock } from './helpers.ts';

const env = useEmulator();
const clock = useMachineClock();

function trigger(parameters: Record<string, unknown> = {}, extra: { onError?: 'continueRegularOutput' | 'continueErrorOutput' } = {}) {
	return new ActiveTrigger({
		parameters: triggerParameters(parameters),
		credentials: credentialFor(env.emulator),
		...extra,
	});
}

/** Uploads files straight into DocFlow (not through n8n) and lets DocFlow finish them now. */
async function finished(names: string[], query: Record<string, string> = {}) {
	const seeded = await seedUpload(env.emulator, names, query);
	for (const file of seeded.files) env.emulator.finishTask(file.task_id);
	return seeded.files;
}

const names = (items: Array<{ json: Record<string, unknown> }> | null | undefined) =>
	(items ?? []).map((i) => i.json.file_name ?? i.json.name);

describe('DocFlow Trigger: activation and the window of each poll', () => {
	test('activation reports nothing; a file finished afterwards is reported once, a minute later', async () => {
		await finished(['before-activation.pdf']);
		clock.advance(5_000);
		const activatedAt = Date.now();
		const t = trigger();

		const activation = await t.activate();
		expect(activation).toEqual({ items: null });
		// What is already there is read once, up to the clock skew ahead, and remembered, not reported.
		expect(fetchRequests(env.emulator).map((r) => r.query)).toEqual([
			{
				workspace_id: WORKSPACE_ID,
				verification_status: '0',
				start_time: iso(activatedAt - SETTLE_MS - OVERLAP_MS),
				end_time: iso(activatedAt + 120_000),
				page: '1',
				page_size: '1000',
			},
		]);
		// n8n saves the static data after activating: the cursor survives a restart from here on.
		expect(t.persisted['node:DocFlow Trigger']).toMatchObject({ cursor: activatedAt / 1000 - 60 });

		await finished(['after-activation.pdf']);
		env.emulator.clearRequests();
		clock.advance(30_000);
		expect((await t.poll()).items).toBeNull(); // not settled yet
		expect(fetchRequests(env.emulator)[0].query).toMatchObject({
			start_time: iso(activatedAt - SETTLE_MS - OVERLAP_MS),
			end_time: iso(activatedAt + 30_000 - SETTLE_MS),
		});

		clock.advance(40_000);
		const second = await t.poll();
		expect(second.error).toBeUndefined();
		expect(names(second.items)).toEqual(['after-activation.pdf']);
		// the window starts OVERLAP before the previous end
		expect(fetchRequests(env.emulator)[1].query).toMatchObject({
			start_time: iso(activatedAt + 30_000 - SETTLE_MS - OVERLAP_MS),
			end_time: iso(activatedAt + 70_000 - SETTLE_MS),
		});

		for (let i = 0; i < 5; i++) {
			clock.advance(60_000);
			expect((await t.poll()).items).toBeNull();
		}
		expect(t.executions).toHaveLength(1);
		// keys are dropped once no window can bring the file back
		expect(t.staticData.seen).toEqual({});
	});

	test('a simplified item per file (split parts after their parent); Simplify off: the file exactly as DocFlow lists it', async () => {
		const t = trigger();
		await t.activate();
		await finished(['invoice-7.pdf']);
		await finished(['bundle.pdf'], { split_flag: 'true' });
		clock.advance(SETTLE_MS + 1_000);
		const { items } = await t.poll();
		expect(items!.map((i) => [i.json.event, i.json.file_name, i.json.task_type])).toEqual([
			['processed', 'invoice-7.pdf', 'regular'],
			['processed', 'bundle.pdf', 'parent'],
			['processed', 'bundle_1.pdf', 'split part'],
			['processed', 'bundle_2.pdf', 'split part'],
		]);
		expect(items![0].json).toMatchObject({
			event: 'processed',
			workspace_id: WORKSPACE_ID,
			status: 'success',
			verification_status: 'Pending Verification',
			fields: expect.objectContaining({ 'Invoice Number': expect.any(String) }),
		});

		const raw = trigger({ simplify: false });
		await raw.activate();
		const [file] = await finished(['receipt-9.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		const rawItems = (await raw.poll()).items!;
		const listed = await rawFetch(env.emulator, { task_id: file.task_id });
		expect(rawItems.map((i) => i.json)).toEqual(listed.files);
	});

	test('a failed poll changes nothing: the next one reads the same window and loses nothing', async () => {
		const t = trigger({ options: { maxRetries: 0 } });
		await t.activate();
		await finished(['a.pdf', 'b.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		const before = t.staticData;
		env.emulator.injectFault({ path: 'file/fetch', kind: 'status', status: 503 });
		const failed = await t.poll();
		expect(failed.items).toBeNull();
		expect(failed.error?.message).toMatch(/^DocFlow is not available right now/);
		expect(t.staticData).toEqual(before);

		const next = await t.poll();
		expect(names(next.items)).toEqual(['a.pdf', 'b.pdf']);
	});

	test('Max Retries, Max Retry Time and Request Timeout apply to every read', async () => {
		const t = trigger({ options: { maxRetries: 2 } });
		await t.activate();
		clock.advance(SETTLE_MS + 1_000);
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/fetch', kind: 'status', status: 503, times: 5 });
		const busy = await t.poll();
		expect(busy.error?.message).toMatch(/^DocFlow is not available right now after 3 attempts/);
		expect(fetchRequests(env.emulator)).toHaveLength(3);

		env.emulator.reset(); // the faults left over
		const noTime = trigger({ options: { maxRetries: 4, maxRetrySeconds: 0 } });
		await noTime.activate();
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/fetch', kind: 'status', status: 503, times: 5 });
		expect((await noTime.poll()).error?.message).toMatch(/^DocFlow is not available right now/);
		expect(fetchRequests(env.emulator)).toHaveLength(1);

		env.emulator.reset();
		const impatient = trigger({ options: { maxRetries: 0, requestTimeoutSeconds: 1 } });
		await impatient.activate();
		env.emulator.clearRequests();
		env.emulator.injectFault({ path: 'file/fetch', kind: 'delay', ms: 1_500 });
		const slow = await impatient.poll();
		expect(slow.error?.message).toMatch(/^DocFlow did not answer in time/);
		expect(fetchRequests(env.emulator)).toHaveLength(1);
	});

	test('DocFlow’s refusal comes out with its code, message and trace ID; nothing is remembered', async () => {
		const t = trigger({ workspace: workspace('9999999999') });
		const activation = await t.activate();
		expect(activation.error?.message).toMatch(
			/^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”, HTTP 200, trace ID [0-9a-f]{32}\)$/,
		);
		expect((activation.error as { description?: string }).description).toMatch(/Check the Workspace ID/);
		expect(t.staticData).toEqual({});
	});

	test('a poll that starts while the previous one is still reading waits for the next poll time', async () => {
		const t = trigger();
		await t.activate();
		await finished(['slow.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		env.emulator.clearRequests();
		env.emulator.setLatency(300);
		const [first, second] = await Promise.all([t.poll(), t.poll()]);
		expect(names(first.items)).toEqual(['slow.pdf']);
		expect(second).toEqual({ items: null });
		expect(fetchRequests(env.emulator)).toHaveLength(1);
	});
});

describe('DocFlow Trigger: events and filters', () => {
	test('File Verified and File Rejected: each once, when a person decides; no verification filter is sent for several events', async () => {
		const t = trigger({ events: ['processed', 'verified', 'rejected'] });
		await t.activate();
		const [a, b, c] = await finished(['a.pdf', 'b.pdf', 'c.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		env.emulator.clearRequests();
		const processed = await t.poll();
		expect(processed.items!.map((i) => [i.json.file_name, i.json.event])).toEqual([
			['a.pdf', 'processed'],
			['b.pdf', 'processed'],
			['c.pdf', 'processed'],
		]);
		expect(fetchRequests(env.emulator)[0].query.verification_status).toBeUndefined();

		env.emulator.setVerification(a.task_id, 2);
		env.emulator.setVerification(b.task_id, 3);
		clock.advance(SETTLE_MS + 1_000);
		const decided = await t.poll();
		expect(decided.items!.map((i) => [i.json.file_name, i.json.event, i.json.verification_status])).toEqual([
			['a.pdf', 'verified', 'Confirmed'],
			['b.pdf', 'rejected', 'Rejected'],
		]);
		for (let i = 0; i < 4; i++) {
			clock.advance(60_000);
			expect((await t.poll()).items).toBeNull();
		}
		expect(c.task_id).toBeDefined();
	});

	test('File Verified alone asks DocFlow for confirmed files only', async () => {
		const t = trigger({ events: ['verified'] });
		await t.activate();
		const [a] = await finished(['a.pdf', 'b.pdf']);
		env.emulator.setVerification(a.task_id, 2);
		clock.advance(SETTLE_MS + 1_000);
		env.emulator.clearRequests();
		const { items } = await t.poll();
		expect(items!.map((i) => [i.json.file_name, i.json.event])).toEqual([['a.pdf', 'verified']]);
		expect(fetchRequests(env.emulator)[0].query.verification_status).toBe('2');
	});

	test('a file verified long after it was processed is not reported as processed again', async () => {
		const t = trigger();
		await t.activate();
		const [a] = await finished(['a.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		expect(names((await t.poll()).items)).toEqual(['a.pdf']);
		clock.advance(10 * 60_000);
		await t.poll();
		expect(t.staticData.seen).toEqual({}); // forgotten by now

		env.emulator.setVerification(a.task_id, 2);
		for (let i = 0; i < 3; i++) {
			clock.advance(60_000);
			expect((await t.poll()).items).toBeNull();
		}
		expect(t.executions).toHaveLength(1);
	});

	test('Processing Results: one result is asked of DocFlow; several are checked file by file', async () => {
		const only = trigger({ filters: { processingResults: [1] } });
		await only.activate();
		await finished(['good.pdf', 'fail-scan.pdf']);
		await finished(['sorted.pdf'], { target_process: 'classify' });
		clock.advance(SETTLE_MS + 1_000);
		env.emulator.clearRequests();
		expect(names((await only.poll()).items)).toEqual(['good.pdf']);
		expect(fetchRequests(env.emulator)[0].query).toMatchObject({ verification_status: '0', recognition_status: '1' });

		env.emulator.reset();
		clock.advance(1_000);
		const two = trigger({ filters: { processingResults: [1, 2] } });
		await two.activate();
		await finished(['good.pdf', 'fail-scan.pdf']);
		await finished(['sorted.pdf'], { target_process: 'classify' });
		clock.advance(SETTLE_MS + 1_000);
		env.emulator.clearRequests();
		const items = (await two.poll()).items!;
		expect(items.map((i) => [i.json.file_name, i.json.status])).toEqual([
			['good.pdf', 'success'],
			['fail-scan.pdf', 'failed'],
		]);
		expect(fetchRequests(env.emulator)[0].query.recognition_status).toBeUndefined();
	});

	test('Category, Include Document Text and Include Task Detail URL become file/fetch parameters', async () => {
		const t = trigger({
			filters: { category: 'receipt' },
			options: { includeDocumentText: true, includeTaskDetailUrl: true },
		});
		await t.activate();
		await finished(['receipt-1.pdf', 'invoice-2.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		env.emulator.clearRequests();
		const { items } = await t.poll();
		expect(names(items)).toEqual(['receipt-1.pdf']);
		expect(items![0].json).toMatchObject({ category: 'receipt', text: expect.any(String), task_detail_url: expect.stringContaining('/task/') });
		expect(fetchRequests(env.emulator)[0].query).toMatchObject({
			category: 'receipt',
			with_document: 'true',
			with_task_detail_url: 'true',
		});
	});
});

describe('DocFlow Trigger: Start From, Max Files per Poll, restarts', () => {
	test('Start From reports what DocFlow updated since then from the first poll on; changing it starts over', async () => {
		await finished(['two-hours-ago.pdf']);
		clock.advance(60 * 60_000);
		await finished(['one-hour-ago.pdf']);
		clock.advance(60 * 60_000);
		const t = trigger({ options: { startFrom: new Date(START + 30 * 60_000).toISOString() } });
		const first = await t.activate();
		expect(names(first.items)).toEqual(['one-hour-ago.pdf']);
		expect(fetchRequests(env.emulator)[0].query).toMatchObject({ start_time: iso(START + 30 * 60_000), end_time: iso(Date.now() - SETTLE_MS) });
		clock.advance(60_000);
		expect((await t.poll()).items).toBeNull();

		t.setParameters(triggerParameters({ options: { startFrom: new Date(START - 60_000).toISOString() } }));
		clock.advance(60_000);
		expect(names((await t.poll()).items)).toEqual(['two-hours-ago.pdf', 'one-hour-ago.pdf']);
	});

	test('another Workspace starts over: what it already has is not reported, what comes is', async () => {
		const t = trigger();
		await t.activate();
		await seedUpload(env.emulator, ['in-other-workspace.pdf'], { workspace_id: '2234567890' });
		env.emulator.finishAll();
		clock.advance(SETTLE_MS + 1_000);
		t.setParameters(triggerParameters({ workspace: workspace('2234567890') }));
		expect((await t.poll()).items).toBeNull();
		expect(t.staticData.identity).toBe('2234567890|');

		await seedUpload(env.emulator, ['new-in-other-workspace.pdf'], { workspace_id: '2234567890' });
		env.emulator.finishAll();
		clock.advance(SETTLE_MS + 1_000);
		const { items } = await t.poll();
		expect(items!.map((i) => [i.json.file_name, i.json.workspace_id])).toEqual([['new-in-other-workspace.pdf', '2234567890']]);
	});

	test('Max Files per Poll: a big window is split over several polls, every file once, none dropped', async () => {
		const t = trigger({ options: { maxFilesPerPoll: 10 } });
		await t.activate();
		const files = await finished(Array.from({ length: 25 }, (_, i) => `doc-${String(i).padStart(2, '0')}.pdf`));
		clock.advance(SETTLE_MS + 1_000);
		const sizes: number[] = [];
		for (let i = 0; i < 5; i++) {
			sizes.push((await t.poll()).items?.length ?? 0);
			clock.advance(1_000);
		}
		expect(sizes).toEqual([10, 10, 5, 0, 0]);
		expect(t.items.map((i) => i.json.task_id).sort()).toEqual(files.map((f) => f.task_id).sort());
	});

	test('n8n restarts: from the saved static data nothing is lost and nothing repeated', async () => {
		const t = trigger();
		await t.activate();
		await finished(['one.pdf', 'two.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		expect(names((await t.poll()).items)).toEqual(['one.pdf', 'two.pdf']);
		// polls that emit nothing change memory only; n8n saved at the emit above
		await finished(['three.pdf']);
		clock.advance(20_000);
		await t.poll();

		t.restart();
		await finished(['four.pdf']);
		clock.advance(3 * 60_000);
		const afterRestart = await t.activate();
		expect(names(afterRestart.items)).toEqual(['three.pdf', 'four.pdf']);
		clock.advance(60_000);
		expect((await t.poll()).items).toBeNull();
		expect(t.items.map((i) => i.json.file_name)).toEqual(['one.pdf', 'two.pdf', 'three.pdf', 'four.pdf']);
	});
});

describe('DocFlow Trigger: reading windows that do not fit in one page', () => {
	test('a window with more files than a page is halved by time until each half fits', async () => {
		env.emulator.setMaxPageSize(20);
		const t = trigger();
		await t.activate();
		const all: string[] = [];
		for (let i = 0; i < 9; i++) {
			all.push(...(await finished(Array.from({ length: 7 }, (_, j) => `s${i}-${j}.pdf`))).map((f) => f.task_id));
			clock.advance(7_000);
		}
		clock.advance(SETTLE_MS);
		env.emulator.clearRequests();
		const { items } = await t.poll();
		expect(items!.map((i) => i.json.task_id).sort()).toEqual([...all].sort());
		const windows = fetchRequests(env.emulator).map((r) => [r.query.start_time, r.query.end_time, r.query.page]);
		// halves share their boundary second; every answer fit in one page
		expect(windows.every(([, , page]) => page === '1')).toBe(true);
		expect(new Set(windows.map(([s, e]) => `${s}/${e}`)).size).toBe(windows.length);
		expect(windows.length).toBeGreaterThan(3);
	});

	test('a stretch expected to hold many pages is counted with a one-file page before it is halved', async () => {
		env.emulator.setMaxPageSize(20);
		const t = trigger();
		await t.activate();
		const all: string[] = [];
		for (let i = 0; i < 30; i++) {
			all.push(...(await finished(Array.from({ length: 10 }, (_, j) => `c${i}-${j}.pdf`))).map((f) => f.task_id));
			clock.advance(5_000);
		}
		clock.advance(SETTLE_MS);
		env.emulator.clearRequests();
		const { items } = await t.poll();
		expect(items!.map((i) => i.json.task_id).sort()).toEqual([...all].sort());
		const sizes = fetchRequests(env.emulator).map((r) => r.query.page_size);
		expect(sizes.filter((size) => size === '1').length).toBeGreaterThan(0);
		// every full read fit in one answer
		expect(fetchRequests(env.emulator).every((r) => r.query.page === '1')).toBe(true);
	});

	test('a poll past half of n8n’s poll budget stops after the stretch it is reading; the next poll goes on from there', async () => {
		env.emulator.setMaxPageSize(20);
		const t = trigger();
		await t.activate();
		const all: string[] = [];
		for (let i = 0; i < 8; i++) {
			all.push(...(await finished(Array.from({ length: 10 }, (_, j) => `b${i}-${j}.pdf`))).map((f) => f.task_id));
			clock.advance(10_000);
		}
		clock.advance(SETTLE_MS);
		// n8n's PollContext gives a poll 5 minutes; the first answer takes 3 of them
		let slow = true;
		env.emulator.beforeFetch(() => {
			if (slow) clock.advance(3 * 60_000);
			slow = false;
		});
		const pollStart = Date.now();
		const first = await t.poll();
		expect(first.error).toBeUndefined();
		// it stopped early: its cursor is short of the end of its window
		const cursor = t.staticData.cursor as number;
		expect(cursor).toBeLessThan((pollStart - SETTLE_MS) / 1000);
		expect(first.items?.length ?? 0).toBeLessThan(all.length);
		for (let i = 0; i < 3; i++) await t.poll();
		const reported = t.items.map((i) => String(i.json.task_id));
		expect(reported.sort()).toEqual([...all].sort());
	});

	test('a total that counts more than the files listed (e.g. split parts) does not make a complete page look short', async () => {
		const t = trigger();
		await t.activate();
		const [a, b] = await finished(['a.pdf', 'b.pdf']);
		clock.advance(SETTLE_MS + 1_000);
		const listed = await rawFetch(env.emulator, { page_size: 1000 });
		env.emulator.clearRequests();
		env.emulator.injectFault({
			path: 'file/fetch',
			kind: 'status',
			status: 200,
			contentType: 'application/json',
			body: JSON.stringify({ code: 200, msg: 'success', result: { total: 6, page: 1, page_size: 1000, files: listed.files } }),
		});
		const { items } = await t.poll();
		expect(items!.map((i) => i.json.task_id)).toEqual([a.task_id, b.task_id]);
		expect(fetchRequests(env.emulator)).toHaveLength(1);
	});

	test('many files in one second are paged, and read again when the list shifts under the pages', async () => {
		env.emulator.setMaxPageSize(20);
		env.emulator.setFetchOrder('updated-desc');
		const t = trigger();
		await t.activate();
		// mid-second, so only one stretch of the window holds the burst
		clock.advance(500);
		const burst = await finished(Array.from({ length: 50 }, (_, i) => `burst-${i}.pdf`));
		clock.advance(SETTLE_MS + 1_000);
		// While the pages are read, a person verifies one file of the burst: it leaves the window
		// (its update time moves), so later pages shift by one.
		let verified = false;
		env.emulator.beforeFetch((query) => {
			if (!verified && query.page === '2') {
				verified = true;
				env.emulator.setVerification(burst[49].task_id, 2);
			}
		});
		env.emulator.clearRequests();
		const { items, error } = await t.poll();
		expect(error).toBeUndefined();
		expect(items!.map((i) => i.json.task_id).sort()).toEqual(burst.map((f) => f.task_id).sort());
		const pages = fetchRequests(env.emulator).map((r) => r.query.page);
		expect(pages.filter((p) => p === '1').length).toBeGreaterThanOrEqual(2); // read again
		clock.advance(60_000);
		expect((await t.poll()).items).toBeNull();
	});
});

describe('DocFlow Trigger: Fetch Test Event', () => {
	test('shows the latest few matching files and leaves the cursor alone', async () => {
		await finished(['last-week.pdf']);
		clock.advance(7 * 86_400_000);
		await finished(Array.from({ length: 7 }, (_, i) => `recent-${i}.pdf`));
		clock.advance(60_000);

		const active = trigger();
		await active.activate();
		const staticData = active.persisted;
		env.emulator.clearRequests();
		const result = await fetchTestEvent({ parameters: triggerParameters(), credentials: credentialFor(env.emulator) }, staticData);
		expect(result.error).toBeUndefined();
		expect(names(result.items)).toEqual(['recent-0.pdf', 'recent-1.pdf', 'recent-2.pdf', 'recent-3.pdf', 'recent-4.pdf']);
		expect(result.items[0].json.event).toBe('processed');
		expect(result.staticData).toEqual(staticData);
		expect(fetchRequests(env.emulator)[0].query).toEqual({
			workspace_id: WORKSPACE_ID,
			verification_status: '0',
			start_time: iso(Date.now() - 600_000),
			page: '1',
			page_size: '1000',
		});

		// the files it showed are still reported once the workflow runs
		clock.advance(SETTLE_MS);
		expect((await active.poll()).items).toBeNull(); // they were there before activation
	});

	test('looks further back when nothing is recent; says what to do when nothing matches', async () => {
		await finished(['old.pdf']);
		clock.advance(3 * 86_400_000);
		const found = await fetchTestEvent({ parameters: triggerParameters(), credentials: credentialFor(env.emulator) });
		expect(names(found.items)).toEqual(['old.pdf']);
		expect(fetchRequests(env.emulator).map((r) => r.query.start_time)).toEqual([
			iso(Date.now() - 600_000),
			iso(Date.now() - 3_600_000),
			iso(Date.now() - 86_400_000),
			iso(Date.now() - 7 * 86_400_000),
		]);

		const none = await fetchTestEvent({ parameters: triggerParameters({ events: ['rejected'] }), credentials: credentialFor(env.emulator) });
		expect(none.items).toEqual([]);
		expect(none.error?.message).toBe(`No file in workspace ${WORKSPACE_ID} matches the events and filters yet`);
		expect(none.error?.description).toMatch(/Upload a document to DocFlow/);
	});
});

describe('DocFlow Trigger: bad input is refused before anything is sent', () => {
	// The node's message for each, and what n8n itself says first when the node is run by hand
	// (it checks required parameters and their rules before it runs a node at all).
	const cases: Array<{ name: string; parameters: Record<string, unknown>; message: string; editorIssue?: string }> = [
		{ name: 'no workspace', parameters: { workspace: workspace('') }, message: 'Workspace is empty', editorIssue: 'Parameter "Workspace" is required.' },
		{
			name: 'a workspace that is no ID',
			parameters: { workspace: workspace('12 34') },
			message: 'Workspace ID “12 34” is not a DocFlow Workspace ID',
			editorIssue: 'A Workspace ID is letters and digits only, e.g. 1234567890',
		},
		{
			name: 'a workspace mapped to a list',
			parameters: { workspace: { __rl: true, mode: 'id', value: '={{ [1, 2] }}' } },
			message: 'Workspace must be one Workspace ID, but it is a list of 2 values',
		},
		{ name: 'no event', parameters: { events: [] }, message: 'No event is chosen', editorIssue: 'Parameter "Events" is required.' },
		{ name: 'an unknown event', parameters: { events: ['processed', 'deleted'] }, message: 'Events holds what is not an event: deleted' },
		{
			name: 'no processing result',
			parameters: { filters: { processingResults: [] } },
			message: 'Processing Results is empty, so File Processed can never start the workflow',
		},
		{
			name: 'Max Files per Poll 0',
			parameters: { options: { maxFilesPerPoll: 0 } },
			message: 'Max Files per Poll must be a whole number of at least 1, not “0”',
		},
		{
			name: 'Start From that is no date',
			parameters: { options: { startFrom: 'next tuesday' } },
			message: 'Start From is not a date and time: “next tuesday”',
		},
	];

	test.each(cases)('$name', async ({ parameters, message, editorIssue }) => {
		// activation fails with the message
		const t = trigger(parameters);
		const activation = await t.activate();
		expect(activation.error?.message).toBe(message);
		expect((activation.error as { description?: string }).description).toEqual(expect.any(String));
		// a poll at a poll time records it as the trigger's error (n8n saves a failed execution)
		const poll = await t.poll();
		expect(poll).toEqual({ items: null, error: expect.objectContaining({ message }) });
		// “On Error: Continue” (regular or error output) has no items to continue with: a poll fails all the same
		for (const onError of ['continueRegularOutput', 'continueErrorOutput'] as const) {
			const continuing = await trigger(parameters, { onError }).poll();
			expect(continuing).toEqual({ items: null, error: expect.objectContaining({ message }) });
		}
		// Fetch Test Event shows it on the node
		const manual = await fetchTestEvent({ parameters: triggerParameters(parameters), credentials: credentialFor(env.emulator) });
		if (editorIssue) expect(manual.error?.message).toContain(editorIssue);
		else expect(manual.error?.message).toBe(message);
		expect(env.emulator.requests).toHaveLength(0);
		expect(t.staticData).toEqual({});
	});
});

describe('DocFlow Trigger: in the editor', () => {
	test('the canvas subtitle names the chosen events', () => {
		const { subtitle } = new DocFlowTrigger().description;
		expect(resolveForTrigger(triggerParameters({ events: ['processed', 'verified'] }), subtitle!)).toBe('File Processed, File Verified');
		expect(resolveForTrigger(triggerParameters({ events: ['rejected'] }), subtitle!)).toBe('File Rejected');
	});
});

describe('DocFlow Trigger: pickers', () => {
	test('Workspace From List and the Category options, through the trigger node', async () => {
		const lists = triggerLoadOptionsContext(triggerParameters(), credentialFor(env.emulator, { enterpriseId: ENTERPRISE_ID }));
		const workspaces = await lists.nodeType.methods.listSearch.searchWorkspaces.call(lists.context);
		expect(workspaces.results.map((r) => r.value)).toEqual(['1234567890', '2234567890']);
		expect(env.emulator.requests[0].path).toMatch(/\/workspace\/list$/);

		const categories = triggerLoadOptionsContext(
			triggerParameters({ workspace: workspace('2234567890') }),
			credentialFor(env.emulator),
			'parameters.filters.category',
		);
		const options = await categories.nodeType.methods.loadOptions.getCategories.call(categories.context);
		expect(options.map((o) => o.value)).toEqual(['', 'contract', 'invoice']);
		expect(env.emulator.requests[1].query).toMatchObject({ workspace_id: '2234567890' });
	});
});
