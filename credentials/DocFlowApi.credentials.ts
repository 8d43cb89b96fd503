import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	EMPTY_BODY_SHA256,
	sha256Hex,
	signRequest,
} from '../nodes/DocFlow/transport/signature';
import { BODY_SHA256, docflowBaseUrl } from '../nodes/DocFlow/transport/credentials';

export class DocFlowApi implements ICredentialType {
	name = 'docFlowApi';

	displayName = 'DocFlow API';

	icon: Icon = {
		light: 'file:../nodes/DocFlow/docflow.svg',
		dark: 'file:../nodes/DocFlow/docflow.dark.svg',
	};

	documentationUrl = 'https://docs.textin.ai/docflow/overview/auth';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Your TextIn x-ti-app-id, shown in the TextIn console under Account & Billing → Account & Developer Information',
		},
		{
			displayName: 'Secret Code',
			name: 'secretCode',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your TextIn x-ti-secret-code, shown next to the App ID',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Global (docflow.textin.ai)', value: 'global' },
				{ name: 'China (docflow.textin.com)', value: 'china' },
				{ name: 'Private Deployment', value: 'private' },
			],
			default: 'global',
			description: 'Where your DocFlow account lives',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://docflow.example.com',
			description: 'Address of your private DocFlow deployment, without /api/…',
			displayOptions: { show: { region: ['private'] } },
		},
		{
			displayName: 'Enterprise ID',
			name: 'enterpriseId',
			type: 'string',
			default: '',
			description:
				'Needed when your account belongs to several enterprises, and to list workspaces in the node. DocFlow: click the logo, then Enterprise Management.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Simple',
					value: 'simple',
					description: 'Sends the App ID and Secret Code as headers',
				},
				{
					name: 'Signature',
					value: 'signature',
					description:
						'Signs every request with HMAC-SHA256; the Secret Code never leaves n8n',
				},
			],
			default: 'simple',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
			headers[name] = String(value);
		}
		// Trimmed alike in both modes: a value pasted with a stray space or line break works (or
		// fails) the same whether it is sent as a header or used as the signing key.
		const appId = String(credentials.appId ?? '').trim();
		const secretCode = String(credentials.secretCode ?? '').trim();
		headers['x-ti-app-id'] = appId;
		const enterpriseId = String(credentials.enterpriseId ?? '').trim();
		if (enterpriseId !== '') headers['x-ti-enterprise-id'] = enterpriseId;

		if (credentials.authentication === 'signature') {
			const timestamp = Math.floor(Date.now() / 1000);
			const url = requestedUrl(requestOptions.baseURL ?? docflowBaseUrl(credentials), requestOptions.url);
			const query: Record<string, string> = {};
			url.searchParams.forEach((value, name) => {
				query[name] = value;
			});
			for (const [name, value] of Object.entries(requestOptions.qs ?? {})) {
				if (value !== undefined && value !== null) query[name] = String(value);
			}
			headers['x-ti-timestamp'] = String(timestamp);
			headers['x-ti-signature'] = signRequest({
				secretCode,
				timestamp,
				method: requestOptions.method ?? 'GET',
				path: url.pathname,
				query,
				bodySha256: bodySha256(requestOptions.body),
			});
		} else {
			headers['x-ti-secret-code'] = secretCode;
		}
		return { ...requestOptions, headers };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.region === "private" ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : ($credentials.region === "china" ? "https://docflow.textin.com" : "https://docflow.textin.ai") }}',
			url: '/api/app-api/sip/platform/v2/auth/token',
			method: 'GET',
			// Never on to another origin with the credential's headers.
			disableFollowRedirect: true,
		},
		// n8n runs this test itself and shows a rule's message as it stands: it cannot quote
		// DocFlow's own msg (a node's own test function could, but n8n's verification refuses the
		// request helper such functions get). So each message names the code and every cause it
		// stands for, rather than guessing one.
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 40101,
					message:
						'DocFlow refused the App ID or Secret Code (DocFlow code 40101: missing or not accepted). Copy both again from the TextIn console, Account & Billing → Account & Developer Information.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 40102,
					message:
						'DocFlow refused the App ID, Secret Code or signature (DocFlow code 40102). Copy both again from the TextIn console; with Signature authentication, also check that the n8n machine’s clock is right.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 40103,
					message:
						'DocFlow refused the credential (DocFlow code 40103). Copy the App ID and Secret Code again from the TextIn console.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 40301,
					message:
						'DocFlow refused access for this Enterprise ID (DocFlow code 40301). Check it in DocFlow (click the logo, then Enterprise Management), or leave it empty if the account belongs to one enterprise only.',
				},
			},
		],
	};
}

/**
 * The URL the HTTP client will request: like axios, it appends `url` to `baseURL`, so a private
 * deployment's path (https://host/docflow) stays in front of /api/… and is signed with it.
 */
function requestedUrl(baseURL: string, url: string): URL {
	if (/^https?:\/\//i.test(url)) return new URL(url);
	return new URL(`${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`);
}

/** The body's hash as DocFlow computes it: the bytes that go over the wire. */
function bodySha256(body: IHttpRequestOptions['body']): string {
	if (body === undefined || body === null || body === '') return EMPTY_BODY_SHA256;
	if (Buffer.isBuffer(body) || typeof body === 'string') return sha256Hex(body);
	const precomputed = (body as unknown as Record<symbol, unknown>)[BODY_SHA256];
	if (typeof precomputed === 'string') return precomputed;
	return sha256Hex(JSON.stringify(body));
}
