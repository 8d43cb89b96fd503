import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { request } from 'undici';

import { DocFlowApi } from '../../credentials/DocFlowApi.credentials';
import { sha256Hex, verifySignature } from '../emulator/signature.ts';
import { resolveWithCredentials, runDocflow } from '../harness/engine.ts';
import { APP_ID, SECRET, credentialFor, useEmulator, workspace } from '../harness/fixtures.ts';

const env = useEmulator();
const credential = new DocFlowApi();

/** Sends the credential's test request, authenticated by the credential, as the editor's Test button does. */
async function pressTest(data: ICredentialDataDecryptedObject) {
	const baseURL = String(resolveWithCredentials(credential.test.request.baseURL as string, data));
	const options = await credential.authenticate(data, {
		method: 'GET',
		url: credential.test.request.url as string,
		baseURL,
	});
	const response = await request(`${baseURL}${options.url}`, {
		method: 'GET',
		headers: options.headers as Record<string, string>,
	});
	const body = (await response.body.json()) as { code: number; msg: string };
	const failedRule = credential.test.rules?.find(
		(rule) => rule.type === 'responseSuccessBody' && body[rule.properties.key as 'code'] === rule.properties.value,
	);
	return { baseURL, body, failedRule, headers: options.headers };
}

describe('DocFlow API credential', () => {
	test('Region picks the base URL the test request goes to', () => {
		expect(resolveWithCredentials(credential.test.request.baseURL as string, { region: 'global' })).toBe(
			'https://docflow.textin.ai',
		);
		expect(resolveWithCredentials(credential.test.request.baseURL as string, { region: 'china' })).toBe(
			'https://docflow.textin.com',
		);
		expect(
			resolveWithCredentials(credential.test.request.baseURL as string, {
				region: 'private',
				baseUrl: ' https://docflow.example.com/ ',
			}),
		).toBe('https://docflow.example.com');
	});

	test('the test request passes with a good credential, in both authentication modes', async () => {
		for (const authentication of ['simple', 'signature']) {
			env.emulator.clearRequests();
			const { body, failedRule } = await pressTest(credentialFor(env.emulator, { authentication }));
			expect(body.code).toBe(200);
			expect(failedRule).toBeUndefined();
			expect(env.emulator.requests[0]).toMatchObject({
				path: '/api/app-api/sip/platform/v2/auth/token',
				auth: { mode: authentication, valid: true },
			});
		}
	});

	test('a wrong secret or an enterprise the account is not in fails with a message that names DocFlow’s code', async () => {
		let outcome = await pressTest(credentialFor(env.emulator, { secretCode: 'nope' }));
		expect(outcome.failedRule?.properties.message).toMatch(
			new RegExp(`^DocFlow refused the App ID.*\\(DocFlow code ${outcome.body.code}`),
		);
		outcome = await pressTest(credentialFor(env.emulator, { authentication: 'signature', secretCode: 'nope' }));
		expect(outcome.failedRule?.properties.message).toMatch(/^DocFlow refused the App ID, Secret Code or signature \(DocFlow code 40102\)/);
		outcome = await pressTest(credentialFor(env.emulator, { enterpriseId: '2002' }));
		expect(outcome.failedRule?.properties.message).toMatch(/Enterprise ID \(DocFlow code 40301\)/);
	});

	test('no code has a message that claims one cause for it: 40101 covers a missing and a wrong secret alike', () => {
		const message = (code: number) =>
			credential.test.rules?.find((rule) => rule.type === 'responseSuccessBody' && rule.properties.value === code)
				?.properties.message;
		expect(message(40101)).toMatch(/missing or not accepted/);
		expect(message(40101)).not.toMatch(/is empty/);
	});

	test('a Secret Code pasted with stray white space works alike in both modes', async () => {
		for (const authentication of ['simple', 'signature']) {
			env.emulator.clearRequests();
			const { body, failedRule } = await pressTest(
				credentialFor(env.emulator, { authentication, appId: ` ${APP_ID}\t`, secretCode: ` ${SECRET}\n` }),
			);
			expect([authentication, body.code, failedRule]).toEqual([authentication, 200, undefined]);
			expect(env.emulator.requests[0].auth).toMatchObject({ mode: authentication, valid: true });
		}
	});

	test('the test request never follows a redirect to another origin', () => {
		expect(credential.test.request.disableFollowRedirect).toBe(true);
	});

	test('simple mode sends the secret header; signature mode sends timestamp and signature instead', async () => {
		const simple = await credential.authenticate(
			{ appId: APP_ID, secretCode: SECRET, authentication: 'simple', enterpriseId: ' 1001 ' },
			{ url: '/x', baseURL: 'http://127.0.0.1:1', headers: { Accept: 'application/json' } },
		);
		expect(simple.headers).toEqual({
			Accept: 'application/json',
			'x-ti-app-id': APP_ID,
			'x-ti-secret-code': SECRET,
			'x-ti-enterprise-id': '1001',
		});
		const signed = await credential.authenticate(
			{ appId: APP_ID, secretCode: SECRET, authentication: 'signature' },
			{ url: '/x', baseURL: 'http://127.0.0.1:1', method: 'POST', body: '{}' },
		);
		expect(Object.keys(signed.headers ?? {}).sort()).toEqual(['x-ti-app-id', 'x-ti-signature', 'x-ti-timestamp']);
		expect(JSON.stringify(signed)).not.toContain(SECRET);
	});

	test('is a password field, with an icon and a test', () => {
		expect(credential.properties.find((p) => p.name === 'secretCode')?.typeOptions?.password).toBe(true);
		expect(credential.icon).toEqual({
			light: 'file:../nodes/DocFlow/docflow.svg',
			dark: 'file:../nodes/DocFlow/docflow.dark.svg',
		});
		expect(credential.test.request.url).toBe('/api/app-api/sip/platform/v2/auth/token');
	});
});

describe('Signature with a private deployment under a path', () => {
	test('signs the path actually requested, the Base URL’s path included', async () => {
		// DocFlow behind https://host/docflow: the server sees /docflow/api/…, and the signature
		// must cover that path, as the node's HTTP client appends /api/… to the Base URL.
		const seen: Array<{ path: string; ok: boolean }> = [];
		const server = createServer((req, res) => {
			const [path, rawQuery = ''] = (req.url ?? '').split('?');
			const check = verifySignature({
				secretCode: SECRET,
				timestamp: String(req.headers['x-ti-timestamp']),
				signature: String(req.headers['x-ti-signature']),
				method: req.method ?? 'GET',
				path,
				rawQuery,
				bodySha256: sha256Hex(''),
			});
			seen.push({ path, ok: check.ok });
			res.setHeader('content-type', 'application/json');
			res.end(
				JSON.stringify(
					check.ok
						? { code: 200, msg: 'success', result: { total: 0, page: 1, page_size: 1000, files: [] } }
						: { code: 40102, msg: 'invalid signature: signature mismatch' },
				),
			);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = server.address() as AddressInfo;
			const result = await runDocflow({
				parameters: { resource: 'file', operation: 'fetchBatch', workspace: workspace(), batchNumber: '1' },
				credentials: { ...credentialFor(env.emulator, { authentication: 'signature' }), baseUrl: `http://127.0.0.1:${port}/docflow/` },
			});
			expect(result.error).toBeUndefined();
			expect(seen).toEqual([{ path: '/docflow/api/app-api/sip/platform/v2/file/fetch', ok: true }]);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
