import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'docFlowApi';

const REGION_BASE_URLS: Record<string, string> = {
	global: 'https://docflow.textin.ai',
	china: 'https://docflow.textin.com',
};

/**
 * Where a streamed body carries its precomputed sha256 for the signature, since the
 * credential's `authenticate` cannot read a stream without consuming it.
 * `Symbol.for` so that the node and the credential agree even if loaded twice.
 */
export const BODY_SHA256 = Symbol.for('n8n-nodes-docflow.bodySha256');

export function docflowBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.region === 'private') {
		return String(credentials.baseUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
	}
	return REGION_BASE_URLS[String(credentials.region ?? 'global')] ?? REGION_BASE_URLS.global;
}
