import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { request } from 'undici';

import { DocFlowApi } from '../../credentials/DocFlowApi.credentials';
import { resolveWithCredentials } from '../harness/engine.ts';
import { APP_ID, SECRET, credentialFor, useEmulator } from '../harness/fixtures.ts';

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

	test('a wrong secret or an enterprise the account is not in fails with a message', async () => {
		let outcome = await pressTest(credentialFor(env.emulator, { secretCode: 'nope' }));
		expect(outcome.failedRule?.properties.message).toMatch(/does not accept this App ID and Secret Code/);
		outcome = await pressTest(credentialFor(env.emulator, { authentication: 'signature', secretCode: 'nope' }));
		expect(outcome.failedRule?.properties.message).toMatch(/does not accept/);
		outcome = await pressTest(credentialFor(env.emulator, { enterpriseId: '2002' }));
		expect(outcome.failedRule?.properties.message).toMatch(/Enterprise ID/);
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
