/**
 * Every retried failure backs off and says how many attempts it took, also across the resends an
 * upload makes after checking the batch; Max Retry Time bounds the whole request; and errors keep
 * the node's own words (n8n would put its generic text in place of a message naming a network
 * code, and a file that cannot be read locally is not a network failure).
 */
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataConfig } from 'n8n-core';

import { runDocflow } from '../../../harness/engine.ts';
import { credentialFor, sample, seedUpload, sha256, useEmulator, workspace } from '../../../harness/fixtures.ts';

const env = useEmulator();

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));
const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

const bytesOf = (name: string) => Buffer.concat([sample('simple.pdf'), Buffer.from(name)]);
const doc = (name: string) => ({
	binary: { data: { data: bytesOf(name), fileName: name, mimeType: 'application/pdf' } },
});

const upload = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	options: { maxRetrySeconds: 30, ...options },
	...extra,
});

/** n8n's generic text for a message that names ECONNRESET. */
const N8N_ECONNRESET_TEXT = 'The connection to the server was closed unexpectedly';

async function until(condition: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** The file in n8n's filesystem binary storage holding exactly these bytes. */
function storedFileWith(bytes: Buffer): string {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (statSync(path).size === bytes.length && readFileSync(path).equals(bytes)) found.push(path);
		}
	};
	walk(Container.get(BinaryDataConfig).localStoragePath);
	expect(found).toHaveLength(1);
	return found[0];
}

describe('Backoff and attempts count across the resends of an upload', () => {
	test('HTTP 500 on file/upload: the batch is checked before each resend, resends wait a growing backoff, the file is stored once', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 500, times: 2 });
		const result = await runDocflow({
			parameters: upload({ maxRetries: 4 }),
			credentials: credentialFor(env.emulator),
			items: [doc('h.pdf')],
		});
		expect(result.error).toBeUndefined();
		expect(uploads().map((r) => r.status)).toEqual([500, 500, 200]);
		// upload, look-up, upload, look-up, upload: each resend only after the batch showed the file missing.
		expect(env.emulator.requests.map((r) => r.path.split('/').slice(-2).join('/'))).toEqual([
			'file/upload',
			'file/fetch',
			'file/upload',
			'file/fetch',
			'file/upload',
		]);
		expect(fetches().every((f) => f.query.batch_number === uploads()[0].query.batch_number)).toBe(true);
		// Backoff from 500 ms, doubling, jittered in the upper half of each step: ≥ 250 ms, then ≥ 500 ms.
		const [first, second, third] = uploads().map((r) => r.receivedAt);
		expect(second - first).toBeGreaterThanOrEqual(250);
		expect(third - second).toBeGreaterThanOrEqual(500);
		const stored = env.emulator.tasks();
		expect(stored.map((t) => [t.name, t.sha256])).toEqual([['h.pdf', sha256(bytesOf('h.pdf'))]]);
		expect(result.items.map((i) => i.json.file_id)).toEqual([stored[0].fileId]);
	});

	test('HTTP 500 on every attempt: gives up after Max Retries + 1 attempts and the message says so', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 500, times: 10 });
		const result = await runDocflow({
			parameters: upload({ maxRetries: 2 }),
			credentials: credentialFor(env.emulator),
			items: [doc('i.pdf')],
		});
		expect(uploads()).toHaveLength(3);
		expect(result.error?.message).toMatch(/^DocFlow is not available right now after 3 attempts \(.*HTTP 500.*\) \[item 0\]$/);
		expect(env.emulator.tasks()).toEqual([]);
		const [first, second, third] = uploads().map((r) => r.receivedAt);
		expect(second - first).toBeGreaterThanOrEqual(250);
		expect(third - second).toBeGreaterThanOrEqual(500);
	});

	test('Max Retry Time bounds the whole request, the attempts themselves included', async () => {
		// Every answer takes a second, and every upload is refused (503: resent without a look-up).
		env.emulator.setLatency(1000);
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 503, times: 10 });
		const result = await runDocflow({
			parameters: upload({ maxRetries: 10, maxRetrySeconds: 2 }),
			credentials: credentialFor(env.emulator),
			items: [doc('j.pdf')],
		});
		const started = uploads().map((r) => r.receivedAt - uploads()[0].receivedAt);
		// No attempt starts more than 2 s after the first began (waits alone would allow a third at ~3 s).
		expect(started.every((ms) => ms <= 2000)).toBe(true);
		// Two here (the second starts at 1.25–1.5 s and ends past 2 s).
		expect(started.length).toBeGreaterThanOrEqual(2);
		expect(result.error?.message).toMatch(
			new RegExp(`^DocFlow is not available right now after ${started.length} attempts \\(.*HTTP 503.*\\) \\[item 0\\]$`),
		);
	});
});

describe('Errors keep their own words', () => {
	test.each([
		['Upload, reset before DocFlow read it', 'file/upload', 'reset-before'],
		['Fetch Batch, reset before the answer', 'file/fetch', 'reset-before'],
		['Fetch Batch, reset after DocFlow processed it', 'file/fetch', 'reset-after'],
	] as const)(
		'a connection reset (%s) ends with “after N attempts [item 0]”, not n8n’s generic ECONNRESET text',
		async (_name, endpoint, kind) => {
			const seeded = await seedUpload(env.emulator, ['seeded.pdf']);
			env.emulator.clearRequests();
			env.emulator.injectFault({ path: endpoint, kind, times: 20 });
			const result = await runDocflow({
				parameters:
					endpoint === 'file/upload'
						? upload({ maxRetries: 1 })
						: { resource: 'file', operation: 'fetchBatch', workspace: workspace(), batchNumber: seeded.batch_number, options: { maxRetries: 1 } },
				credentials: credentialFor(env.emulator),
				items: endpoint === 'file/upload' ? [doc('k.pdf')] : undefined,
			});
			expect(env.emulator.requests.filter((r) => r.path.endsWith(endpoint))).toHaveLength(2);
			expect(result.error?.message).toBe('The connection to DocFlow broke off after 2 attempts [item 0]');
			expect(result.error?.message).not.toContain(N8N_ECONNRESET_TEXT);
			// The raw code is kept, in the description.
			expect(result.error?.description).toMatch(/\(Network error ECONNRESET\.\)/);
		},
	);

	test.each([
		['simple', 'while its bytes are being sent'],
		['signature', 'while it is read for the signature’s body hash'],
	] as const)(
		'a stored file that cannot be read (%s authentication, %s): a local read error, not retried, not called a network failure',
		async (authentication, _when) => {
			// Item 0's answer takes a while; meanwhile item 1's file (checked already, with item 0)
			// disappears from n8n's binary storage.
			env.emulator.injectFault({ path: 'file/upload', kind: 'delay', ms: 1000 });
			const running = runDocflow({
				parameters: upload({ maxRetries: 4 }),
				credentials: credentialFor(env.emulator, { authentication }),
				binaryMode: 'filesystem',
				items: [doc(`first-${authentication}.pdf`), doc(`gone-${authentication}.pdf`)],
			});
			// This run's own first upload (not a request of the previous test still arriving).
			await until(() => uploads().some((r) => r.parts?.some((p) => p.filename === `first-${authentication}.pdf`)));
			rmSync(storedFileWith(bytesOf(`gone-${authentication}.pdf`)));
			const result = await running;

			expect(result.error?.message).toBe(
				`Could not read the file “gone-${authentication}.pdf” from n8n’s binary data storage [item 1]`,
			);
			expect(result.error?.description).toMatch(/^The file’s data went missing or could not be read on this machine/);
			expect(`${result.error?.message} ${result.error?.description}`).not.toMatch(/network|connection|DocFlow did not answer/i);
			// Item 1: at most the one request that broke off (none when the hash for the signature
			// failed first), never resent, never looked up as if its answer had been lost.
			// Counted by this run's authentication headers: the previous case's broken request can
			// reach the emulator's log only after this case has cleared it.
			const ours = uploads().filter((r) =>
				authentication === 'signature' ? r.headers['x-ti-signature'] : r.headers['x-ti-secret-code'],
			);
			expect(ours.length).toBeLessThanOrEqual(2);
			if (authentication === 'signature') expect(ours).toHaveLength(1);
			expect(fetches()).toEqual([]);
			expect(env.emulator.tasks().map((t) => t.name)).toEqual([`first-${authentication}.pdf`]);
		},
	);
});
