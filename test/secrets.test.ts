/**
 * Secret hygiene: every operation and every failure, run with a recognisable secret; the
 * secret must appear nowhere — not in outputs, not in errors (message, description, stack,
 * cause, context), not in the run data n8n stores, not in anything logged, and in Signature
 * mode not in any request.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { loadOptionsContext, runDocflow } from './harness/engine.ts';
import type { InputItem } from './harness/engine.ts';
import { sample, seedUpload, useEmulator, workspace } from './harness/fixtures.ts';

const SECRET = 'CANARY-s3cr3t-7f3a9e';
const APP_ID = 'canary-app';

process.env.N8N_LOG_LEVEL = 'debug';

const env = useEmulator({
	credentials: [
		{ appId: APP_ID, secretCode: SECRET, enterpriseIds: ['1001'] },
		{ appId: 'demo-app-id', secretCode: 'demo-secret-code', enterpriseIds: ['1001'] },
	],
	stepMs: 10,
});

/** Every string reachable from a value, own non-enumerable properties (stack, cause) included. */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') return [value];
	if (typeof value !== 'object' || value === null || seen.has(value)) return [];
	seen.add(value);
	if (Buffer.isBuffer(value)) return [value.toString('latin1')];
	return Object.getOwnPropertyNames(value).flatMap((name) => {
		const descriptor = Object.getOwnPropertyDescriptor(value, name);
		return [name, ...strings(descriptor && 'value' in descriptor ? descriptor.value : undefined, seen)];
	});
}

let logged: string[] = [];
beforeEach(() => {
	logged = [];
	const capture = (stream: NodeJS.WriteStream) =>
		jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
			logged.push(String(chunk));
			return true;
		});
	capture(process.stdout);
	capture(process.stderr);
	for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
			logged.push(strings(args).join(' '));
		});
	}
});
afterEach(() => jest.restoreAllMocks());

function credential(authentication: string, extra: IDataObject = {}): ICredentialDataDecryptedObject {
	return {
		appId: APP_ID,
		secretCode: SECRET,
		region: 'private',
		baseUrl: env.emulator.url,
		enterpriseId: '1001',
		authentication,
		...extra,
	} as ICredentialDataDecryptedObject;
}

const pdf = (name: string): InputItem => ({
	binary: { data: { data: sample('simple.pdf'), fileName: name, mimeType: 'application/pdf' } },
});

const upload = (extra: IDataObject = {}) => ({ resource: 'file', operation: 'upload', workspace: workspace(), ...extra });

interface Scenario {
	name: string;
	run: (authentication: string) => Promise<unknown[]>;
}

async function node(parameters: IDataObject, authentication: string, items?: InputItem[], extra: IDataObject = {}, typeVersion = 1.1) {
	const result = await runDocflow({
		parameters,
		items,
		credentials: credential(authentication, extra),
		continueOnFail: false,
		typeVersion,
	});
	const withCof = await runDocflow({
		parameters,
		items,
		credentials: credential(authentication, extra),
		continueOnFail: true,
		typeVersion,
	});
	return [result.items, result.error, result.run, withCof.items, withCof.error, withCof.run];
}

const scenarios: Scenario[] = [
	{ name: 'upload and wait', run: (a) => node(upload({ options: { pollIntervalSeconds: 0.05 } }), a, [pdf('a.pdf'), pdf('b-fail.pdf')]) },
	{ name: 'upload receipt, URLs', run: (a) => node(upload({ inputType: 'url', fileUrls: 'https://e.com/a.pdf' }), a, undefined, {}, 1) },
	{
		name: 'fetch batch and retry',
		run: async (a) => {
			const seeded = await seedUpload(env.emulator, ['c-fail.pdf']);
			env.emulator.finishAll();
			return [
				...(await node({ resource: 'file', operation: 'fetchBatch', workspace: workspace(), batchNumber: seeded.batch_number }, a)),
				...(await node({ resource: 'file', operation: 'retry', workspace: workspace(), taskId: seeded.files[0].task_id }, a)),
			];
		},
	},
	{
		name: 'pickers',
		run: async (a) => {
			const { context, nodeType } = await loadOptionsContext({ resource: 'file', operation: 'upload', workspace: workspace() }, credential(a));
			return [await nodeType.methods.listSearch.searchWorkspaces.call(context), await nodeType.methods.loadOptions.getCategories.call(context)];
		},
	},
	{ name: 'wrong app id', run: (a) => node(upload(), a, [pdf('a.pdf')], { appId: 'nobody' }) },
	{ name: 'unknown workspace', run: (a) => node(upload({ workspace: workspace('1') }), a, [pdf('a.pdf')]) },
	{ name: 'connection refused', run: (a) => node(upload({ options: { maxRetries: 0 } }), a, [pdf('a.pdf')], { baseUrl: 'http://127.0.0.1:9' }) },
	{
		name: 'rate limited, HTML, truncated, timeout',
		run: async (a) => {
			env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 429, retryAfter: 0, times: 4 });
			env.emulator.injectFault({ path: 'file/upload', kind: 'html', times: 3 });
			env.emulator.injectFault({ path: 'file/fetch', kind: 'truncated-json', times: 6 });
			env.emulator.injectFault({ path: 'file/upload', kind: 'hang-after' });
			return node(upload({ options: { maxRetries: 1, requestTimeoutSeconds: 1, maxRetrySeconds: 1 } }), a, [pdf('a.pdf'), pdf('b.pdf')]);
		},
	},
	{ name: 'bad input', run: (a) => node(upload(), a, [{ json: {} }, pdf('empty.pdf')]) },
];

describe.each(['simple', 'signature'])('%s authentication: the secret appears nowhere', (authentication) => {
	test.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
		const outputs = await scenario.run(authentication);
		const everything = [...strings(outputs), ...logged];
		expect(everything.length).toBeGreaterThan(0);
		expect(everything.filter((s) => s.includes(SECRET))).toEqual([]);
		// The node's own requests (test set-up uploads with the demo credential).
		const sent = env.emulator.requests.filter((r) => r.headers['x-ti-app-id'] !== 'demo-app-id');
		if (scenario.name !== 'connection refused') expect(sent.length).toBeGreaterThan(0);
		if (authentication === 'signature') {
			const wire = sent.flatMap((r) => strings([r.headers, r.query, r.rawQuery, r.json]));
			expect(wire.filter((s) => s.includes(SECRET))).toEqual([]);
			expect(sent.every((r) => r.headers['x-ti-secret-code'] === undefined)).toBe(true);
			if (scenario.name !== 'wrong app id') expect(sent.every((r) => r.auth.valid || r.fault !== undefined)).toBe(true);
		}
	});
});

test('the check itself works: the secret is found where it is', () => {
	expect(strings([{ a: new Error('x', { cause: { headers: { 'x-ti-secret-code': SECRET } } }) }]).some((s) => s.includes(SECRET))).toBe(true);
});
