/**
 * Category Sample's bad inputs: each gives a clear error naming the item and saying what to do;
 * the ones the node can see are refused before any request of the run. With Continue On Fail the
 * error comes out on the bad item's own output (regular output) or on the error output, and the
 * other item's result is intact and paired.
 */
import type { IDataObject } from 'n8n-workflow';

import type { DocflowEmulator } from '../../../../emulator/index.ts';
import { runDocflow } from '../../../../harness/engine.ts';
import type { BinaryMode, InputItem } from '../../../../harness/engine.ts';
import { credentialFor, useEmulator, workspace } from '../../../../harness/fixtures.ts';
import { INVOICE, RECEIPT, byId, listSamples, pdfBytes, pdfItem, sampleParameters, seedSamples } from './fixtures.ts';

const env = useEmulator();

interface Case {
	name: string;
	parameters: Record<string, unknown>;
	/** The items; a function when they need what the emulator holds (sample IDs). */
	items: InputItem[] | ((e: DocflowEmulator) => Promise<InputItem[]>);
	bad: number;
	message: RegExp;
	description?: RegExp;
	/** Refused while every item is checked, before the first request of the run. */
	refusedUpFront?: boolean;
	binaryMode?: BinaryMode;
	setup?: (e: DocflowEmulator) => Promise<void>;
}

const c = (category: string, extra: IDataObject = {}): InputItem => ({ json: { c: category, ...extra } });
const perItemCategory = { categoryId: byId('={{ $json.c }}') };
const upload = (extra: IDataObject = {}): Record<string, unknown> => sampleParameters('upload', { ...perItemCategory, ...extra });
const getAll = (extra: IDataObject = {}): Record<string, unknown> => sampleParameters('getAll', { ...perItemCategory, ...extra });
const download = (extra: IDataObject = {}): Record<string, unknown> => sampleParameters('download', { ...perItemCategory, ...extra });
const del = (extra: IDataObject = {}): Record<string, unknown> => sampleParameters('delete', { ...perItemCategory, sampleId: byId('={{ $json.s }}'), ...extra });
const pdf = (name = 'ok.pdf', data = pdfBytes(name), category = INVOICE.id, field = 'data'): InputItem =>
	pdfItem({ [field]: { name, data } }, { c: category });
/** A 19-digit DocFlow ID as a JSON number: JavaScript has already rounded it. */
const tooLarge = JSON.parse('1900016546621900038') as number;
const fill = async (e: DocflowEmulator, count: number) => {
	for (let from = 0; from < count; from += 10) {
		await seedSamples(e, Array.from({ length: Math.min(10, count - from) }, (_, i) => ({ name: `f${from + i}.pdf`, data: pdfBytes(`f${from + i}`) })));
	}
};
/** Items naming the second sample of each category (seeded first), or the given IDs. */
const sampleItems = (pick: (invoice: string[], receipt: string[]) => Array<[string, IDataObject[string]]>) => async (e: DocflowEmulator) => {
	const invoice = (await listSamples(e)).map((s) => s.sample_id);
	const receipt = (await listSamples(e, RECEIPT.id)).map((s) => s.sample_id);
	return pick(invoice, receipt).map(([category, s]) => c(category, { s }));
};
const withSamples = async (e: DocflowEmulator) => {
	await seedSamples(e, [{ name: 'extra.pdf', data: pdfBytes('extra') }]);
	await seedSamples(e, [{ name: 'extra.pdf', data: pdfBytes('extra r') }], RECEIPT.id);
};

const cases: Case[] = [
	// Upload
	{ name: 'Upload: missing binary field', parameters: upload(), items: [pdf(), pdf('a.pdf', undefined, INVOICE.id, 'attachment_0')], bad: 1, message: /^Item 1 has no binary field “data” \[item 1\]$/, description: /attachment_0/, refusedUpFront: true },
	{ name: 'Upload: item without any file', parameters: upload(), items: [c(INVOICE.id), pdf()], bad: 0, message: /^Item 0 has no binary field “data” \[item 0\]$/, description: /carries no file at all/, refusedUpFront: true },
	{ name: 'Upload: empty file', parameters: upload(), items: [pdf(), pdf('empty.pdf', Buffer.alloc(0))], bad: 1, message: /^The file “empty\.pdf” in binary field “data” is empty \[item 1\]$/, refusedUpFront: true },
	{ name: 'Upload: a sample over 100 MiB', parameters: upload(), items: [pdf(), pdf('huge.pdf', Buffer.alloc(100 * 1024 * 1024 + 1))], bad: 1, message: /“huge\.pdf” in binary field “data” is 100\.0 MiB, over DocFlow’s limit of 100 MiB \[item 1\]$/, refusedUpFront: true, binaryMode: 'filesystem' },
	{ name: 'Upload: unsupported file', parameters: upload(), items: [{ json: { c: INVOICE.id }, binary: { data: { data: Buffer.from('MZ'), fileName: 'setup.exe', mimeType: 'application/x-msdownload' } } }, pdf()], bad: 0, message: /^DocFlow does not read “setup\.exe” in binary field “data”: \.exe files are not supported \[item 0\]$/, description: /PDF, OFD/, refusedUpFront: true },
	{
		name: 'Upload: more than 10 files in one item',
		parameters: upload({ binaryPropertyName: '={{ $json.fields }}' }),
		items: [
			{ ...pdfItem(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, { name: `f${i}.pdf`, data: pdfBytes(`f${i}`) }]))), json: { c: INVOICE.id, fields: Array.from({ length: 11 }, (_, i) => `f${i}`).join(',') } },
			{ ...pdf(), json: { c: INVOICE.id, fields: 'data' } },
		],
		bad: 0,
		message: /^DocFlow takes at most 10 samples per upload, this item has 11 \[item 0\]$/,
		description: /Split Out/,
		refusedUpFront: true,
	},
	{ name: 'Upload: empty Category', parameters: upload(), items: [pdf(), pdf('b.pdf', undefined, '')], bad: 1, message: /^Category is empty \[item 1\]$/, refusedUpFront: true },
	{ name: 'Upload: empty Workspace', parameters: upload({ workspace: { __rl: true, mode: 'id', value: '={{ $json.w }}' } }), items: [{ ...pdf(), json: { c: INVOICE.id, w: '' } }, { ...pdf(), json: { c: INVOICE.id, w: '1234567890' } }], bad: 0, message: /^Workspace is empty \[item 0\]$/, refusedUpFront: true },
	{ name: 'Upload: unknown category', parameters: upload(), items: [pdf('a.pdf', undefined, '77'), pdf()], bad: 0, message: /^DocFlow does not know category 77 in workspace 1234567890 \(DocFlow code 40004, “文件类别不存在”/, description: /Category → Get Many/ },
	{ name: 'Upload: a category already holding 20 samples', setup: (e) => fill(e, 19), parameters: upload(), items: [pdf('a.pdf'), pdf('b.pdf', undefined, RECEIPT.id)], bad: 0, message: /^Category 1900000000000000001 already has 20 samples; 1 more would exceed DocFlow’s limit of 20 per category \[item 0\]$/, description: /Category Sample → Delete/ },
	// Get Many
	{ name: 'Get Many: Limit 0', parameters: getAll({ limit: '={{ $json.l }}' }), items: [c(INVOICE.id, { l: 5 }), c(INVOICE.id, { l: 0 })], bad: 1, message: /^Limit must be a whole number of 1 or more, not 0 \[item 1\]$/, refusedUpFront: true },
	{ name: 'Get Many: a list where the Category belongs', parameters: getAll(), items: [c(INVOICE.id), { json: { c: [INVOICE.id, RECEIPT.id] } }], bad: 1, message: /^Category must be one value, but it is a list of 2 values \[item 1\]$/, description: /Split Out/, refusedUpFront: true },
	{ name: 'Get Many: unknown category', parameters: getAll(), items: [c(INVOICE.id), c('77')], bad: 1, message: /^DocFlow does not know category 77/ },
	{ name: 'Get Many: a workspace DocFlow does not know', parameters: getAll({ workspace: workspace('424242') }), items: [c(INVOICE.id)], bad: 0, message: /^DocFlow does not know this workspace \(DocFlow code 40004, “工作空间不存在”/, description: /More Actions → Settings/ },
	// Download
	{ name: 'Download: Chosen Samples without any', parameters: download({ samples: 'chosen', sampleIds: '={{ $json.s }}' }), items: sampleItems((inv) => [[INVOICE.id, inv[0]], [INVOICE.id, '']]), bad: 1, message: /^Sample Names or IDs is empty \[item 1\]$/, description: /All Samples/, refusedUpFront: true },
	{ name: 'Download: a sample ID as a number too large to be exact', parameters: download({ samples: 'chosen', sampleIds: '={{ $json.s }}' }), items: sampleItems((inv) => [[INVOICE.id, tooLarge], [INVOICE.id, inv[0]]]), bad: 0, message: /^Sample Names or IDs: 1900016546621900\d{3} is a number too large to be exact \[item 0\]$/, description: /Pass IDs as text/, refusedUpFront: true },
	{ name: 'Download: an object where sample IDs belong', parameters: download({ samples: 'chosen', sampleIds: '={{ $json.s }}' }), items: sampleItems((inv) => [[INVOICE.id, inv[0]], [INVOICE.id, { id: inv[0] }]]), bad: 1, message: /^Sample Names or IDs must be sample IDs, but it holds an object \[item 1\]$/, refusedUpFront: true },
	{ name: 'Download: an unknown sample', parameters: download({ samples: 'chosen', sampleIds: '={{ $json.s }}' }), items: sampleItems((inv) => [[INVOICE.id, '4242'], [INVOICE.id, inv[0]]]), bad: 0, message: /^DocFlow refused the samples of category 1900000000000000001 \(DocFlow code 40004, “sample does not exist: 4242”/ },
	{ name: 'Download: empty output field', parameters: download({ binaryPropertyName: '={{ $json.f }}' }), items: [c(INVOICE.id, { f: 'zip' }), c(INVOICE.id, { f: ' ' })], bad: 1, message: /^Put Output File in Field is empty \[item 1\]$/, refusedUpFront: true },
	// Delete
	{ name: 'Delete: empty Sample', setup: withSamples, parameters: del(), items: sampleItems((inv) => [[INVOICE.id, ''], [INVOICE.id, inv[1]]]), bad: 0, message: /^Sample is empty \[item 0\]$/, refusedUpFront: true },
	{ name: 'Delete: a Sample ID as a number too large to be exact', setup: withSamples, parameters: del(), items: sampleItems((inv) => [[INVOICE.id, inv[1]], [INVOICE.id, tooLarge]]), bad: 1, message: /^Sample 1900016546621900\d{3} is a number too large to be exact \[item 1\]$/, refusedUpFront: true },
	{ name: 'Delete: a sample that does not exist', setup: withSamples, parameters: del(), items: sampleItems((inv) => [[INVOICE.id, '4242'], [INVOICE.id, inv[1]]]), bad: 0, message: /^Category 1900000000000000001 has no sample 4242 \[item 0\]$/, description: /deleted already/ },
	{ name: 'Delete: a sample of another category', setup: withSamples, parameters: del(), items: sampleItems((inv, rec) => [[INVOICE.id, inv[1]], [INVOICE.id, rec[1]]]), bad: 1, message: /^Category 1900000000000000001 has no sample \d+ \[item 1\]$/, description: /belong to another category/ },
	{ name: 'Delete: the category’s last sample', setup: withSamples, parameters: del(), items: sampleItems((inv, rec) => [[RECEIPT.id, rec[1]], [INVOICE.id, inv[1]], [RECEIPT.id, rec[0]]]), bad: 2, message: /^DocFlow refused the samples of category 1900000000000000002 \(DocFlow code 40004, “每个文件类别至少保留一个样本”/ },
];

async function itemsOf(c: Case, e: DocflowEmulator): Promise<InputItem[]> {
	await c.setup?.(e);
	const items = typeof c.items === 'function' ? await c.items(e) : c.items;
	e.clearRequests();
	return items;
}

const paired = (i: { pairedItem?: unknown }) => (i.pairedItem as { item: number }).item;

describe('Category Sample: bad inputs', () => {
	test.each(cases.map((k) => [k.name, k] as const))('%s', async (_name, k) => {
		// 1. Without Continue On Fail: the run stops with a clear error naming the item.
		const items = await itemsOf(k, env.emulator);
		const stopped = await runDocflow({ parameters: k.parameters, items, credentials: credentialFor(env.emulator), binaryMode: k.binaryMode });
		expect(stopped.error?.message).toMatch(k.message);
		expect(stopped.error?.message).toMatch(new RegExp(`\\[item ${k.bad}\\]$`));
		expect(stopped.error?.description).toBeTruthy();
		if (k.description) expect(stopped.error?.description).toMatch(k.description);
		if (k.refusedUpFront) expect(env.emulator.requests).toEqual([]);

		// 2. Continue (using regular output): the error on the bad item's own output, the rest intact.
		env.emulator.reset();
		const regular = await runDocflow({
			parameters: k.parameters,
			items: await itemsOf(k, env.emulator),
			credentials: credentialFor(env.emulator),
			binaryMode: k.binaryMode,
			continueOnFail: true,
		});
		expect(regular.error).toBeUndefined();
		const errors = regular.items.filter((i) => i.json.error !== undefined);
		expect(errors.map(paired)).toEqual([k.bad]);
		expect(errors[0].json.error).toMatch(k.message);
		expect(errors[0].json.description).toBeTruthy();
		const good = regular.items.filter((i) => paired(i) !== k.bad);
		const goodInputs = new Set(items.map((_, index) => index).filter((index) => index !== k.bad));
		expect(new Set(good.map(paired))).toEqual(goodInputs);
		expect(good.every((i) => i.json.error === undefined)).toBe(true);

		// 3. Continue (using error output): the bad item on the error output, the good ones on the success output.
		env.emulator.reset();
		const split = await runDocflow({
			parameters: k.parameters,
			items: await itemsOf(k, env.emulator),
			credentials: credentialFor(env.emulator),
			binaryMode: k.binaryMode,
			onError: 'continueErrorOutput',
		});
		expect(split.error).toBeUndefined();
		expect(split.errorItems.map(paired)).toEqual([k.bad]);
		expect((split.errorItems[0].json.error as IDataObject).message).toMatch(k.message);
		expect(new Set(split.items.map(paired))).toEqual(goodInputs);
		expect(split.items.every((i) => i.json.error === undefined)).toBe(true);
	});
});
