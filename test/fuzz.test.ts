/**
 * Fuzzing (fast-check): response handling and the simplified output on random and malformed
 * DocFlow answers. Only our typed errors come out, never a crash, never a nameless or
 * "undefined" field. The seed is printed; FUZZ_SEED=<seed> replays a run.
 */
import fc from 'fast-check';
import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { simplifyWithChildren } from '../nodes/DocFlow/helpers/simplify';
import { DocflowApiError } from '../nodes/DocFlow/transport/errors';
import { readAnswer } from '../nodes/DocFlow/transport/answers';

const RUNS = 10_000;
const hex = (maxLength: number, minLength = 0) =>
	fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength, maxLength });
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
process.stdout.write(`fuzz seed: ${seed} (FUZZ_SEED=${seed} replays it)\n`);

const node: INode = {
	id: 'n',
	name: 'DocFlow',
	type: 'n8n-nodes-docflow.docFlow',
	typeVersion: 1.1,
	position: [0, 0],
	parameters: {},
};

const validAnswer = fc
	.record({
		code: fc.oneof(fc.constant(200), fc.integer({ min: -1, max: 99999 })),
		msg: fc.oneof(fc.string(), fc.constant('工作空间不存在'), fc.constant(undefined)),
		traceId: fc.option(hex(32, 1), { nil: undefined }),
		result: fc.option(fc.jsonValue(), { nil: undefined }),
	})
	.map((o) => JSON.stringify(o));

const body = fc.oneof(
	validAnswer,
	validAnswer.chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n))),
	fc.json(),
	fc.string(),
	fc.constant('<html><body><h1>502 Bad Gateway</h1></body></html>'),
	fc.constant(''),
);

const headers = fc.record(
	{
		'content-type': fc.constantFrom('application/json', 'text/html', 'text/plain', ''),
		'retry-after': fc.oneof(fc.nat({ max: 100000 }).map(String), fc.string(), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toUTCString()))),
		'x-ti-trace-id': hex(40),
	},
	{ requiredKeys: [] },
);

describe('fuzz: response handling', () => {
	test(`${RUNS} random and malformed answers: a result or a typed, readable error`, () => {
		fc.assert(
			fc.property(fc.integer({ min: 100, max: 599 }), headers, body, fc.option(fc.nat({ max: 50 }), { nil: undefined }), (statusCode, hdrs, text, itemIndex) => {
				const answer = readAnswer('file/fetch', { statusCode, headers: hdrs, body: text });
				if (answer.ok) {
					expect(answer.body.code).toBe(200);
					expect(statusCode >= 200 && statusCode < 300).toBe(true);
					return;
				}
				expect(['no', 'unknown']).toContain(answer.failure.accepted);
				const error = new DocflowApiError(node, answer.failure, itemIndex);
				expect(error).toBeInstanceOf(NodeApiError);
				expect(typeof error.message).toBe('string');
				expect(error.message.length).toBeGreaterThan(10);
				expect(error.message).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/);
				expect(typeof error.description).toBe('string');
				if (itemIndex !== undefined) expect(error.message.endsWith(`[item ${itemIndex}]`)).toBe(true);
			}),
			{ numRuns: RUNS, seed },
		);
	});
});

const key = fc.oneof(
	fc.string().filter((s) => s !== 'undefined' && s !== 'null'),
	fc.constant(undefined),
	fc.constant(null),
	fc.constant(''),
	fc.integer(),
	fc.object({ maxDepth: 1 }),
);
const value = fc.oneof(fc.string(), fc.constant(undefined), fc.constant(null), fc.integer(), fc.jsonValue());
const cell = fc.oneof(fc.record({ key, value }, { requiredKeys: [] }), fc.anything());
const rows = fc.oneof(fc.array(fc.oneof(fc.array(cell, { maxLength: 4 }), fc.anything()), { maxLength: 4 }), fc.anything());
const data = fc.oneof(
	fc.record(
		{
			fields: fc.oneof(fc.array(cell, { maxLength: 6 }), fc.anything()),
			items: rows,
			tables: fc.oneof(fc.array(fc.oneof(fc.record({ tableName: key, items: rows }, { requiredKeys: [] }), fc.anything()), { maxLength: 3 }), fc.anything()),
			stamps: fc.oneof(fc.array(fc.record({ text: value }, { requiredKeys: [] }), { maxLength: 3 }), fc.anything()),
			handwritings: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.anything()),
			invoiceVerifyResult: fc.anything(),
		},
		{ requiredKeys: [] },
	),
	fc.anything(),
);
const fileShape = fc.record(
	{
		id: value,
		task_id: value,
		task_type: fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.anything()),
		name: value,
		recognition_status: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 10, 20), fc.anything()),
		verification_status: fc.anything(),
		failure_causes: value,
		category: value,
		data,
		document: fc.anything(),
		total_page_num: fc.anything(),
	},
	{ requiredKeys: [] },
);
const file = fileShape.chain((f) =>
	fc.oneof(fc.constant(f), fc.array(fileShape, { maxLength: 3 }).map((children) => ({ ...f, child_files: children }))),
);

function namesAreReal(record: Record<string, unknown>): void {
	for (const name of Object.keys(record)) {
		expect(name.trim()).not.toBe('');
		expect(name).not.toMatch(/^(undefined|null)( \(\d+\))?$/);
	}
}

describe('fuzz: simplified output', () => {
	test(`${RUNS} random and malformed files: flat items with real names, never a crash`, () => {
		fc.assert(
			fc.property(file, (input) => {
				const out = simplifyWithChildren(input as never);
				expect(out.length).toBeGreaterThanOrEqual(1);
				for (const item of out) {
					expect(typeof item.status).toBe('string');
					expect(typeof item.file_name).toBe('string');
					const fields = item.fields as Record<string, unknown>;
					namesAreReal(fields);
					for (const v of Object.values(fields)) expect(typeof v).toBe('string');
					for (const [table, tableRows] of Object.entries(item.tables as Record<string, unknown[]>)) {
						expect(table.trim()).not.toBe('');
						for (const row of tableRows) namesAreReal(row as Record<string, unknown>);
					}
					expect(JSON.stringify(item)).toBeDefined();
				}
			}),
			{ numRuns: RUNS, seed },
		);
	});
});
