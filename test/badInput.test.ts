/**
 * The bad-input matrix: every case gives a clear error that names the item and says what to
 * do; with Continue On Fail it comes out on that item's own output and the other item's
 * result is intact and paired.
 */
import type { IDataObject } from 'n8n-workflow';

import type { DocflowEmulator } from './emulator/index.ts';
import { runDocflow } from './harness/engine.ts';
import type { InputItem, BinaryMode } from './harness/engine.ts';
import { WORKSPACE_ID, credentialFor, sample, seedUpload, useEmulator, workspace } from './harness/fixtures.ts';

const env = useEmulator();

const pdf = (name = 'ok.pdf', data = sample('simple.pdf'), field = 'data'): InputItem => ({
	binary: { [field]: { data, fileName: name, mimeType: 'application/pdf' } },
});

interface Case {
	name: string;
	parameters: IDataObject | ((e: DocflowEmulator) => Promise<IDataObject>);
	items?: InputItem[];
	credentials?: IDataObject;
	/** Which item is bad; 'all' when the cause is the credential or the connection. */
	bad: number | 'all';
	message: RegExp;
	description?: RegExp;
	setup?: (e: DocflowEmulator) => void;
	binaryMode?: BinaryMode;
	/** Refused while every item is checked, before the first request of the run. */
	refusedUpFront?: boolean;
}

const upload = (extra: IDataObject = {}): IDataObject => ({ resource: 'file', operation: 'upload', workspace: workspace(), ...extra });
const fetchBatch = (extra: IDataObject = {}): IDataObject => ({ resource: 'file', operation: 'fetchBatch', workspace: workspace(), ...extra });
const retry = (extra: IDataObject = {}): IDataObject => ({ resource: 'file', operation: 'retry', workspace: workspace(), ...extra });
const byWorkspace = (ws: string[]) => ws.map((w) => ({ json: { ws: w } }));
const wsFromItem = { __rl: true, mode: 'id', value: '={{ $json.ws }}' };
/** A 19-digit DocFlow ID as a JSON number: JavaScript has already rounded it. */
const tooLarge = JSON.parse('1900016546621900038') as number;

/** Every run starts with one finished file in the workspace, so a good item has output. */
async function seed(e: DocflowEmulator): Promise<void> {
	await seedUpload(e, ['present.pdf'], { batch_number: 'seed-batch' });
	e.finishAll();
	e.clearRequests();
}

const cases: Case[] = [
	{ name: 'missing binary field', parameters: upload(), items: [pdf('a.pdf', undefined, 'attachment_0'), pdf()], bad: 0, message: /^Item 0 has no binary field “data” \[item 0\]$/, description: /attachment_0/ },
	{ name: 'binary field name typo', parameters: upload({ binaryPropertyName: '={{ $json.field }}' }), items: [{ ...pdf(), json: { field: 'Data' } }, { ...pdf(), json: { field: 'data' } }], bad: 0, message: /has no binary field “Data”/, description: /binary fields are: data/ },
	{ name: 'item without any file', parameters: upload(), items: [{ json: { subject: 'hello' } }, pdf()], bad: 0, message: /has no binary field “data”/, description: /carries no file at all/ },
	{ name: 'empty file', parameters: upload(), items: [pdf('empty.pdf', Buffer.alloc(0)), pdf()], bad: 0, message: /“empty\.pdf” in binary field “data” is empty \[item 0\]/ },
	{ name: 'file over 100 MiB', parameters: upload(), items: [pdf('huge.pdf', Buffer.alloc(100 * 1024 * 1024 + 1)), pdf()], bad: 0, message: /over DocFlow’s limit of 100 MiB \[item 0\]/, binaryMode: 'filesystem' },
	{ name: 'unsupported format', parameters: upload(), items: [{ binary: { data: { data: Buffer.from('MZ'), fileName: 'setup.exe', mimeType: 'application/x-msdownload' } } }, pdf()], bad: 0, message: /\.exe files are not supported \[item 0\]/, description: /PDF, OFD/ },
	{ name: 'more than 10 URLs', parameters: upload({ inputType: 'url', fileUrls: '={{ $json.urls }}' }), items: [{ json: { urls: Array.from({ length: 11 }, (_, i) => `https://e.com/${i}.pdf`) } }, { json: { urls: ['https://e.com/a.pdf'] } }], bad: 0, message: /at most 10 file URLs per upload, this item has 11 \[item 0\]/ },
	{ name: 'a URL that is not http(s)', parameters: upload({ inputType: 'url', fileUrls: '={{ $json.urls }}' }), items: [{ json: { urls: 'file:///etc/passwd' } }, { json: { urls: 'https://e.com/a.pdf' } }], bad: 0, message: /“file:\/\/\/etc\/passwd” is not an http\(s\) URL \[item 0\]/ },
	{ name: 'a URL that passes the http(s) check but is not valid (port 99999)', parameters: upload({ inputType: 'url', fileUrls: '={{ $json.urls }}' }), items: [{ json: { urls: 'https://e.com/a.pdf' } }, { json: { urls: 'http://host:99999/x.pdf' } }], bad: 1, message: /^“http:\/\/host:99999\/x\.pdf” is not a valid URL \[item 1\]$/, description: /port between 1 and 65535/, refusedUpFront: true },
	{ name: 'empty File URLs', parameters: upload({ inputType: 'url', fileUrls: '={{ $json.urls }}' }), items: [{ json: { urls: '' } }, { json: { urls: 'https://e.com/a.pdf' } }], bad: 0, message: /^File URLs is empty \[item 0\]$/ },
	{ name: 'empty Workspace ID', parameters: fetchBatch({ workspace: wsFromItem, lookUpBy: 'filters' }), items: byWorkspace(['', WORKSPACE_ID]), bad: 0, message: /^Workspace is empty \[item 0\]$/ },
	{ name: 'an object where the Workspace ID belongs', parameters: fetchBatch({ workspace: { __rl: true, mode: 'id', value: '={{ $json.ws }}' }, lookUpBy: 'filters' }), items: [{ json: { ws: { id: WORKSPACE_ID } } }, { json: { ws: WORKSPACE_ID } }], bad: 0, message: /^Workspace must be one value, but it is an object \[item 0\]$/ },
	{ name: 'unknown workspace', parameters: fetchBatch({ workspace: wsFromItem, lookUpBy: 'filters' }), items: byWorkspace(['424242', WORKSPACE_ID]), bad: 0, message: /does not know this workspace \(DocFlow code 40004, “工作空间不存在”/, description: /More Actions → Settings/ },
	{ name: 'empty Batch Number', parameters: fetchBatch({ batchNumber: '={{ $json.b }}' }), items: [{ json: { b: '' } }, { json: { b: 'seed-batch' } }], bad: 0, message: /^Batch Number is empty \[item 0\]$/ },
	{ name: 'a date that is not one', parameters: fetchBatch({ lookUpBy: 'filters', filters: { updatedAfter: '={{ $json.d }}' } }), items: [{ json: { d: 'yesterday-ish' } }, { json: { d: '2024-01-01T00:00:00Z' } }], bad: 0, message: /^Updated After is not a date and time: “yesterday-ish” \[item 0\]$/ },
	{ name: 'a list where the Task ID belongs', parameters: retry({ taskId: '={{ $json.t }}' }), items: [{ json: { t: ['1', '2'] } }, { json: { t: '' } }], bad: 'all', message: /Task ID (must be one value|is empty)/ },
	{
		name: 'a Task ID given as a number too large to be exact',
		parameters: async (e) => retry({ taskId: '={{ $json.t }}', __items: [tooLarge, e.tasks()[0].taskId] }),
		bad: 0,
		message: /^Task ID 1900016546621900\d{3} is a number too large to be exact \[item 0\]$/,
		description: /Pass it as text/,
		refusedUpFront: true,
	},
	{
		name: 'a File ID given as a number too large to be exact',
		parameters: async (e) => fetchBatch({ lookUpBy: 'fileId', fileId: '={{ $json.t }}', __items: [tooLarge, e.tasks()[0].fileId] }),
		bad: 0,
		message: /^File ID 1900016546621900\d{3} is a number too large to be exact \[item 0\]$/,
		description: /Pass it as text/,
		refusedUpFront: true,
	},
	{
		name: 'a Batch Number given as a number too large to be exact (a safe integer still works)',
		parameters: async (e) => {
			await seedUpload(e, ['numbered.pdf'], { batch_number: '4242' });
			e.clearRequests();
			return fetchBatch({ batchNumber: '={{ $json.t }}', __items: [tooLarge, 4242] });
		},
		bad: 0,
		message: /^Batch Number 1900016546621900\d{3} is a number too large to be exact \[item 0\]$/,
		description: /Numbers above 2\^53 lose their last digits/,
		refusedUpFront: true,
	},
	{ name: 'empty Task ID', parameters: retry({ taskId: '={{ $json.t }}' }), items: [{ json: { t: ' ' } }], bad: 0, message: /^Task ID is empty \[item 0\]$/ },
	{ name: 'unknown Task ID', parameters: retry({ taskId: '={{ $json.t }}' }), items: [{ json: { t: '777' } }], bad: 0, message: /^Task 777 was not found in workspace 1234567890 \[item 0\]$/ },
	{
		name: 'retry of a child task',
		parameters: async (e) => {
			const seeded = await seedUpload(e, ['parts.pdf'], { split_flag: 'true' });
			e.finishAll();
			const child = e.tasks().find((t) => t.taskType === 0)!;
			return retry({ taskId: '={{ $json.t }}', __items: [child.taskId, seeded.files[0].task_id] });
		},
		bad: 0,
		message: /is a split part of parent task \d+; DocFlow cannot retry child tasks \[item 0\]/,
		description: /Retry the parent task \d+ instead/,
	},
	{
		name: 'retry of a task still in progress',
		parameters: async (e) => {
			e.setStepMs(3_600_000);
			const seeded = await seedUpload(e, ['busy.pdf']);
			return retry({ taskId: '={{ $json.t }}', __items: [seeded.files[0].task_id, '404'] });
		},
		bad: 'all',
		message: /(is still being processed \(Preparing\)|was not found)/,
	},
	{ name: 'wrong credential', parameters: fetchBatch({ lookUpBy: 'filters' }), items: [{ json: {} }, { json: {} }], credentials: { secretCode: 'not-the-secret' }, bad: 'all', message: /^DocFlow rejected the credential \(DocFlow code 40102/, description: /App ID and Secret Code/ },
	{ name: 'enterprise the account is not in', parameters: fetchBatch({ lookUpBy: 'filters' }), items: [{ json: {} }], credentials: { enterpriseId: '2002' }, bad: 'all', message: /refused access for this enterprise \(DocFlow code 40301/ },
	{ name: 'wrong region (the global service, unreachable here)', parameters: fetchBatch({ lookUpBy: 'filters', options: { maxRetries: 0 } }), items: [{ json: {} }], credentials: { region: 'global' }, bad: 'all', message: /^Could not (find the DocFlow server|connect to DocFlow)/, description: /Region/ },
	{ name: 'private deployment without a Base URL', parameters: fetchBatch({ lookUpBy: 'filters' }), items: [{ json: {} }], credentials: { baseUrl: '' }, bad: 'all', message: /^The DocFlow credential has no valid Base URL/, description: /Private Deployment/ },
	{ name: 'HTML error page', parameters: fetchBatch({ lookUpBy: 'filters', options: { maxRetries: 1 } }), items: [{ json: {} }], setup: (e) => e.injectFault({ path: 'file/fetch', kind: 'html', times: 5 }), bad: 'all', message: /an HTML page instead of JSON after 2 attempts \(HTTP 502/ },
	{ name: 'body that is not JSON', parameters: fetchBatch({ lookUpBy: 'filters', options: { maxRetries: 0 } }), items: [{ json: {} }], setup: (e) => e.injectFault({ path: 'file/fetch', kind: 'non-json' }), bad: 'all', message: /a body that is not JSON/ },
	{ name: 'truncated JSON', parameters: fetchBatch({ lookUpBy: 'filters', options: { maxRetries: 0 } }), items: [{ json: {} }], setup: (e) => e.injectFault({ path: 'file/fetch', kind: 'truncated-json' }), bad: 'all', message: /JSON that breaks off \(truncated\)/ },
	{ name: 'business error in Chinese', parameters: fetchBatch({ workspace: wsFromItem, lookUpBy: 'filters' }), items: byWorkspace([WORKSPACE_ID, WORKSPACE_ID]), setup: (e) => e.injectFault({ path: 'file/fetch', kind: 'business', code: 40003, msg: '账户余额不足' }), bad: 0, message: /account balance is used up \(DocFlow code 40003, “账户余额不足”/, description: /Top up/ },
	{ name: 'category the workspace does not have', parameters: upload({ options: { category: '={{ $json.c }}' } }), items: [{ ...pdf(), json: { c: 'passport' } }, { ...pdf(), json: { c: 'receipt' } }], bad: 0, message: /refused the request to file\/upload \(DocFlow code 40004, “category does not exist: passport”/ },
	{ name: 'timeout', parameters: fetchBatch({ lookUpBy: 'filters', options: { maxRetries: 0, requestTimeoutSeconds: 1 } }), items: [{ json: {} }], setup: (e) => e.injectFault({ path: 'file/fetch', kind: 'hang-after' }), bad: 'all', message: /^DocFlow did not answer in time \[item 0\]$/, description: /Request Timeout/ },
];

async function parametersOf(c: Case, e: DocflowEmulator): Promise<{ parameters: IDataObject; items?: InputItem[] }> {
	if (typeof c.parameters !== 'function') return { parameters: c.parameters, items: c.items };
	const { __items, ...parameters } = await c.parameters(e);
	return { parameters, items: (__items as Array<string | number>).map((t) => ({ json: { t } })) };
}

describe('bad input matrix', () => {
	expect(cases.length).toBeGreaterThanOrEqual(25);

	test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		// 1. Without Continue On Fail: the run stops with a clear error naming the item.
		await seed(env.emulator);
		const first = await parametersOf(c, env.emulator);
		c.setup?.(env.emulator);
		const stopped = await runDocflow({
			parameters: first.parameters,
			items: first.items,
			credentials: credentialFor(env.emulator, c.credentials),
			binaryMode: c.binaryMode,
		});
		expect(stopped.error?.message).toMatch(c.message);
		expect(stopped.error?.message).toMatch(/\[item \d+\]$/);
		if (c.description) expect(stopped.error?.description).toMatch(c.description);
		expect(stopped.error?.description).toBeTruthy();
		if (c.refusedUpFront) expect(env.emulator.requests).toEqual([]);

		// 2. With Continue On Fail: the error on the bad item's own output, the rest intact.
		env.emulator.reset();
		await seed(env.emulator);
		const second = await parametersOf(c, env.emulator);
		c.setup?.(env.emulator);
		const continued = await runDocflow({
			parameters: second.parameters,
			items: second.items,
			credentials: credentialFor(env.emulator, c.credentials),
			binaryMode: c.binaryMode,
			continueOnFail: true,
		});
		expect(continued.error).toBeUndefined();
		const inputs = second.items?.length ?? 1;
		const errors = continued.items.filter((i) => i.json.error !== undefined);
		const paired = (i: { pairedItem?: unknown }) => (i.pairedItem as { item: number }).item;
		if (c.bad === 'all') {
			expect(errors.map(paired)).toEqual(Array.from({ length: inputs }, (_, k) => k));
		} else {
			expect(errors.map(paired)).toEqual([c.bad]);
			expect(errors[0].json.error).toMatch(c.message);
			const others = continued.items.filter((i) => paired(i) !== c.bad);
			expect(others.length).toBeGreaterThanOrEqual(inputs - 1);
			expect(others.every((i) => i.json.error === undefined)).toBe(true);
		}
		expect(continued.items.every((i) => i.pairedItem !== undefined)).toBe(true);
	});
});

