import {
	EMPTY_BODY_SHA256,
	sha256Hex,
	signRequest,
	sortedQueryString,
	stringToSign,
} from '../../../../nodes/DocFlow/transport/signature';

// Vectors computed with Python's hmac/hashlib from auth.mdx's recipe, not with this code.
const vectors: Array<{
	name: string;
	secretCode: string;
	timestamp: number;
	method: string;
	path: string;
	query: Record<string, string>;
	body: Buffer;
	toSign: string;
	signature: string;
}> = [
	{
		name: 'upload with a Chinese category (auth.mdx example shape)',
		secretCode: 'your-app-secret',
		timestamp: 1700000000,
		method: 'POST',
		path: '/api/app-api/sip/platform/v2/file/upload',
		query: { workspace_id: '1871454238893576192', category: '采购订单' },
		body: Buffer.from('hello multipart'),
		toSign:
			'POST\n/api/app-api/sip/platform/v2/file/upload\ncategory=采购订单&workspace_id=1871454238893576192\na11b707926cfcdbfa2f63206973fcbe5145486b55b49640b9ff6c0ea87fd3099',
		signature: '8000b797a002699befb14c582d1045e3b000e9fd3f0c188a8eee0ea1dfb7d1be',
	},
	{
		name: 'fetch without a body',
		secretCode: 'demo-secret-code',
		timestamp: 1732262400,
		method: 'GET',
		path: '/api/app-api/sip/platform/v2/file/fetch',
		query: { workspace_id: '1234567890', batch_number: '202412190001', page: '1', page_size: '1000' },
		body: Buffer.alloc(0),
		toSign:
			'GET\n/api/app-api/sip/platform/v2/file/fetch\nbatch_number=202412190001&page=1&page_size=1000&workspace_id=1234567890\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
		signature: 'c4f1f161ff90dc54a1d15ffc3b99054c06aca811aa54ab8c44ae9b4183083013',
	},
	{
		name: 'retry with a JSON body and no query',
		secretCode: 's3cr3t',
		timestamp: 1,
		method: 'post',
		path: '/api/app-api/sip/platform/v2/file/retry',
		query: {},
		body: Buffer.from('{"workspace_id":"1","task_id":"2"}'),
		toSign:
			'POST\n/api/app-api/sip/platform/v2/file/retry\n\n80921c90947d688eef9bb88652478c7fbe215c28c4f98af6f7f4364135995292',
		signature: '357c8f974f271d04eeed85c7c99f6267792d9a0f306bd5403dbc1dd071fccab9',
	},
];

describe('DocFlow request signature', () => {
	test.each(vectors)('$name', (v) => {
		const input = { ...v, bodySha256: sha256Hex(v.body) };
		expect(stringToSign(input)).toBe(v.toSign);
		expect(signRequest(input)).toBe(v.signature);
	});

	test('query parameters sort by name in ASCII order, values stay unencoded', () => {
		expect(sortedQueryString({ b: '2', B: '1', a_b: 'x y&z', a: '中' })).toBe('B=1&a=中&a_b=x y&z&b=2');
	});

	test('the empty body hashes to sha256 of nothing', () => {
		expect(EMPTY_BODY_SHA256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});

	test('another timestamp or another secret gives another signature', () => {
		const base = { ...vectors[1], bodySha256: EMPTY_BODY_SHA256 };
		expect(signRequest({ ...base, timestamp: base.timestamp + 1 })).not.toBe(vectors[1].signature);
		expect(signRequest({ ...base, secretCode: 'other' })).not.toBe(vectors[1].signature);
	});
});
