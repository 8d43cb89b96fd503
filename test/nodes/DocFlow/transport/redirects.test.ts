/**
 * No redirect is followed: a 3xx from the Base URL ends the request with a configuration error.
 * Another origin, a second HTTP server of the test, records everything it would get: nothing,
 * so never the credential's x-ti-secret-code header and never the document.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { runDocflow } from '../../../harness/engine.ts';
import { SECRET, credentialFor, sample, seedUpload, useEmulator, workspace } from '../../../harness/fixtures.ts';

const PREFIX = '/api/app-api/sip/platform/v2/';

const env = useEmulator();

/** The other origin: answers like DocFlow would, so following the redirect would look like success. */
const other = { url: '', server: undefined as Server | undefined, got: [] as Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> };

beforeAll(async () => {
	other.server = createServer((req, res) => {
		other.got.push({ method: req.method, url: req.url, headers: req.headers });
		req.resume();
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					code: 200,
					msg: 'success',
					result: {
						batch_number: '1',
						total: 0,
						files: [],
					},
				}),
			);
		});
	});
	await new Promise<void>((resolve) => other.server!.listen(0, '127.0.0.1', resolve));
	other.url = `http://127.0.0.1:${(other.server!.address() as AddressInfo).port}`;
});
afterAll(async () => {
	other.server?.closeAllConnections();
	await new Promise((resolve) => other.server?.close(resolve));
});
beforeEach(() => {
	other.got.length = 0;
});

const upload = {
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	options: { maxRetrySeconds: 30 },
};

describe('No redirect is followed', () => {
	test.each([
		['Fetch Batch', 301, 'file/fetch'],
		['Fetch Batch', 302, 'file/fetch'],
		['Upload', 301, 'file/upload'],
		['Upload', 302, 'file/upload'],
		['Upload', 307, 'file/upload'],
	] as const)(
		'%s answered with HTTP %i to another origin: the other origin gets nothing, the error names both addresses without the query',
		async (operation, status, endpoint) => {
			const seeded = operation === 'Fetch Batch' ? await seedUpload(env.emulator, ['x.pdf']) : undefined;
			env.emulator.clearRequests();
			// The query carries the secret, as a hostile or misconfigured server could echo it back.
			const location = `${other.url}${PREFIX}${endpoint}?secret=${SECRET}&token=abc#frag`;
			env.emulator.injectFault({ path: endpoint, kind: 'redirect', status, location });
			const result = await runDocflow({
				parameters:
					operation === 'Fetch Batch'
						? { resource: 'file', operation: 'fetchBatch', workspace: workspace(), batchNumber: seeded!.batch_number }
						: upload,
				credentials: credentialFor(env.emulator),
				items:
					operation === 'Upload'
						? [{ binary: { data: { data: sample('simple.pdf'), fileName: 'r.pdf', mimeType: 'application/pdf' } } }]
						: undefined,
			});

			// Nothing at all reached the other origin: no request, so no x-ti-secret-code header.
			expect(other.got).toEqual([]);
			// DocFlow's address got the one request, not retried.
			expect(env.emulator.requests.map((r) => [r.path, r.status, r.fault])).toEqual([[`${PREFIX}${endpoint}`, status, 'redirect']]);
			expect(env.emulator.tasks().filter((t) => t.name === 'r.pdf')).toEqual([]);

			const traceId = env.emulator.requests[0].traceId;
			expect(result.error?.message).toBe(
				`DocFlow’s address answered with a redirect to ${other.url}${PREFIX}${endpoint}, which the node does not follow (HTTP ${status}, trace ID ${traceId}) [item 0]`,
			);
			expect(result.error?.description).toContain(`The request went to ${env.emulator.url}${PREFIX}${endpoint}.`);
			expect(result.error?.description).toMatch(/set Region or Base URL in the credential/);
			expect((result.error as { failure?: { cause?: string } }).failure?.cause).toBe('configuration-invalid');
			const shown = JSON.stringify({ message: result.error?.message, description: result.error?.description });
			expect(shown).not.toContain(SECRET);
			expect(shown).not.toContain('token=');
			expect(shown).not.toContain('#frag');
			expect(result.items).toEqual([]);
		},
	);

	test('a redirect to another path of the same origin is not followed either', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'redirect', status: 308, location: `/moved/file/upload?secret=${SECRET}` });
		const result = await runDocflow({
			parameters: upload,
			credentials: credentialFor(env.emulator, { authentication: 'signature' }),
			items: [{ binary: { data: { data: sample('simple.pdf'), fileName: 's.pdf', mimeType: 'application/pdf' } } }],
		});
		expect(env.emulator.requests.map((r) => r.path)).toEqual([`${PREFIX}file/upload`]);
		expect(env.emulator.tasks()).toEqual([]);
		expect(result.error?.message).toMatch(
			new RegExp(`^DocFlow’s address answered with a redirect to ${env.emulator.url}/moved/file/upload, which the node does not follow \\(HTTP 308, trace ID [0-9a-f]+\\) \\[item 0\\]$`),
		);
		expect(result.error?.message).not.toContain(SECRET);
	});
});
