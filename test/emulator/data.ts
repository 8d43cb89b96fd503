// Deterministic extraction results, shaped after rest-api/components/schemas/files.yaml.
import type { EmulatorCategory, EmulatorCategoryField, EmulatorCategoryTable, EmulatorWorkspace } from './types.ts';

export type DocKind = 'invoice' | 'receipt' | 'contract';

export const DEFAULT_CREDENTIALS = [{ appId: 'demo-app-id', secretCode: 'demo-secret-code', enterpriseIds: ['1001'] }];

export const DEFAULT_WORKSPACES: EmulatorWorkspace[] = [
	{
		workspace_id: '1234567890',
		name: 'Invoices',
		enterprise_id: '1001',
		categories: [
			{ id: '1900000000000000001', name: '发票', description: 'VAT invoice', extract_model: 'Acgpt', enabled: '1' },
			{ id: '1900000000000000002', name: 'receipt', description: 'Payment receipt', extract_model: 'Acgpt-VL', enabled: '1' },
			{ id: '1900000000000000003', name: 'contract', description: 'Purchase contract', extract_model: 'DF-M1', enabled: '1' },
			{ id: '1900000000000000004', name: 'old form', description: 'Retired form', extract_model: 'Acgpt', enabled: '0' },
		],
	},
	{
		workspace_id: '2234567890',
		name: 'Contracts',
		enterprise_id: '1001',
		categories: [
			{ id: '1900000000000000011', name: 'contract', description: 'Sales contract', extract_model: 'DF-M1', enabled: '1' },
			{ id: '1900000000000000012', name: 'invoice', description: 'Invoice', extract_model: 'Auto', enabled: '1' },
			{ id: '1900000000000000013', name: 'amendment', description: 'Contract amendment (draft)', extract_model: 'mixed', enabled: '2' },
		],
	},
	{
		workspace_id: '3234567890',
		name: 'Other enterprise',
		enterprise_id: '2002',
		categories: [{ id: '1900000000000000021', name: 'invoice', description: 'Invoice', extract_model: 'Acgpt', enabled: '1' }],
	},
];

const KIND_WORDS: Record<DocKind, string[]> = {
	invoice: ['invoice', '发票'],
	receipt: ['receipt', '收据'],
	contract: ['contract', '合同'],
};

/** Kind guessed from a file name: 'receipt' / 'contract' in it, else invoice. */
export function kindFromName(name: string): DocKind {
	const n = name.toLowerCase();
	if (n.includes('receipt')) return 'receipt';
	if (n.includes('contract')) return 'contract';
	return 'invoice';
}

export function kindFromCategory(cat: string, ws: EmulatorWorkspace): DocKind {
	const c = ws.categories.find((x) => x.name === cat);
	const hay = `${cat} ${c?.description ?? ''}`.toLowerCase();
	for (const k of ['receipt', 'contract', 'invoice'] as DocKind[]) {
		if (KIND_WORDS[k].some((w) => hay.includes(w))) return k;
	}
	return 'invoice';
}

/** Name of the workspace's enabled category best matching the kind (falls back to the kind itself). */
export function categoryNameForKind(kind: DocKind, ws: EmulatorWorkspace): string {
	const enabled = ws.categories.filter((c) => c.enabled === '1');
	const match = (c: EmulatorCategory) => {
		const hay = `${c.name} ${c.description ?? ''}`.toLowerCase();
		return KIND_WORDS[kind].some((w) => hay.includes(w));
	};
	return enabled.find((c) => KIND_WORDS[kind].some((w) => c.name.toLowerCase().includes(w)))?.name ?? enabled.find(match)?.name ?? kind;
}

function box(x: number, y: number, w: number, h: number): number[] {
	return [x, y, x + w, y, x + w, y + h, x, y + h];
}

function pos(page: number, x: number, y: number, w = 240, h = 28) {
	return [{ page, vertices: box(x, y, w, h) }];
}

interface FieldSpec {
	key: string;
	identifier: string;
	value: string;
	multi?: boolean;
}

const FIELDS: Record<DocKind, FieldSpec[]> = {
	invoice: [
		{ key: 'Invoice Code', identifier: 'invoice_code', value: '3100231130' },
		{ key: 'Invoice Number', identifier: 'invoice_number', value: '28737000' },
		{ key: 'Invoice Date', identifier: 'invoice_date', value: '2024-03-15' },
		{ key: 'Seller Name', identifier: 'seller_name', value: 'Shanghai Example Technology Co., Ltd.', multi: true },
		{ key: 'Buyer Name', identifier: 'buyer_name', value: 'Beijing Sample Trading Co., Ltd.' },
		{ key: 'Total Amount', identifier: 'total_amount', value: '11300.00' },
		{ key: 'Remarks', identifier: 'remarks', value: '' },
	],
	receipt: [
		{ key: 'Merchant Name', identifier: 'merchant_name', value: 'Green Leaf Cafe' },
		{ key: 'Receipt Number', identifier: 'receipt_number', value: 'R-000482' },
		{ key: 'Receipt Date', identifier: 'receipt_date', value: '2024-04-02' },
		{ key: 'Payment Method', identifier: 'payment_method', value: 'Credit Card' },
		{ key: 'Total Amount', identifier: 'total_amount', value: '86.50' },
		{ key: 'Remarks', identifier: 'remarks', value: '' },
	],
	contract: [
		{ key: 'Contract Number', identifier: 'contract_number', value: 'HT-2024-0117' },
		{ key: 'Party A', identifier: 'party_a', value: 'Beijing Sample Trading Co., Ltd.' },
		{ key: 'Party B', identifier: 'party_b', value: 'Shanghai Example Technology Co., Ltd.', multi: true },
		{ key: 'Signing Date', identifier: 'signing_date', value: '2024-01-17' },
		{ key: 'Contract Amount', identifier: 'contract_amount', value: '250000.00' },
		{ key: 'Remarks', identifier: 'remarks', value: '' },
	],
};

const ROWS: Record<DocKind, Array<Array<[string, string, string]>>> = {
	invoice: [
		[
			['Goods and Services Name', 'goods_name', '＊Electronic Computer＊Microcomputer Host'],
			['Specification Model', 'spec_model', 'DMS-SC68'],
			['Quantity', 'quantity', '2'],
			['Amount', 'amount', '10000.00'],
		],
		[
			['Goods and Services Name', 'goods_name', '＊Mechanical Computer＊Supercomputer Host'],
			['Specification Model', 'spec_model', 'AN/FSQ-7'],
			['Quantity', 'quantity', '1'],
			['Amount', 'amount', '1300.00'],
		],
	],
	receipt: [
		[
			['Item', 'item', 'Latte'],
			['Quantity', 'quantity', '2'],
			['Amount', 'amount', '56.00'],
		],
		[
			['Item', 'item', 'Croissant'],
			['Quantity', 'quantity', '1'],
			['Amount', 'amount', '30.50'],
		],
	],
	contract: [
		[
			['Deliverable', 'deliverable', 'Software licence'],
			['Due Date', 'due_date', '2024-03-01'],
			['Amount', 'amount', '200000.00'],
		],
		[
			['Deliverable', 'deliverable', 'Support (12 months)'],
			['Due Date', 'due_date', '2025-03-01'],
			['Amount', 'amount', '50000.00'],
		],
	],
};

export interface GenContext {
	kind: DocKind;
	/** page index used for all positions */
	page: number;
	autoVerifyVat: boolean;
	classifyOnly: boolean;
	/** config model of the category (Auto / Acgpt / Acgpt-VL / DF-M1) */
	configModel?: string;
}

export function emptyData() {
	return { fields: [], items: [], tables: [], stamps: [], handwritings: [] };
}

export function generateData(ctx: GenContext): Record<string, unknown> {
	if (ctx.classifyOnly) return emptyData();
	const page = ctx.page;
	const configModel = ctx.configModel && ctx.configModel !== 'mixed' ? ctx.configModel : 'Auto';
	const hit = configModel === 'Auto' ? 'Acgpt' : configModel;
	const fields = FIELDS[ctx.kind].map((f, i) => {
		const empty = f.value === '';
		return {
			key: f.key,
			identifier: f.identifier,
			value: f.value,
			position: empty
				? []
				: f.multi
					? [...pos(page, 120, 80 + i * 40, 300), ...pos(page, 120, 80 + i * 40 + 30, 180)]
					: pos(page, 120, 80 + i * 40),
			confidence: empty ? 0 : Math.round((0.99 - i * 0.02) * 100) / 100,
			extractModel: hit,
			configModel,
		};
	});
	const rows = ROWS[ctx.kind];
	const items = rows.map((row, r) =>
		row.map(([key, , value], c) => ({ key, value, position: pos(page, 60 + c * 260, 500 + r * 36, 250) })),
	);
	const tables = [
		{
			tableName: ctx.kind === 'invoice' ? 'Goods Details' : ctx.kind === 'receipt' ? 'Purchased Items' : 'Payment Schedule',
			tableType: '0',
			extractModel: hit,
			configModel,
			items: rows.map((row, r) =>
				row.map(([key, identifier, value], c) => ({
					key,
					identifier,
					value,
					position: pos(page, 60 + c * 260, 500 + r * 36, 250),
					index: r,
					confidence: 0.97,
				})),
			),
		},
		{
			tableName: 'Tax Summary',
			tableType: '1',
			extractModel: 'DF-M1',
			configModel: 'DF-M1',
			items: [
				[
					{ key: 'Tax Rate', identifier: 'tax_rate', value: '13%', position: pos(page, 60, 640, 120), index: 0, confidence: 0.93 },
					{
						key: 'Tax Amount',
						identifier: 'tax_amount',
						value: ctx.kind === 'invoice' ? '1300.00' : '0.00',
						position: pos(page, 200, 640, 160),
						index: 0,
						confidence: 0.91,
					},
				],
			],
		},
	];
	const stamps = [
		{
			angel: 0,
			page,
			text: ctx.kind === 'invoice' ? 'National Unified Invoice Supervision Seal' : 'Company Seal',
			type: 'Other',
			color: 'Red',
			shape: 'Oval Seal',
			position: box(900, 60, 220, 140),
		},
	];
	const handwritings = [{ angel: 0, page, text: 'Zhang San', position: pos(page, 860, 1500, 160, 40) }];
	const data: Record<string, unknown> = { fields, items, tables, stamps, handwritings };
	if (ctx.autoVerifyVat) {
		data.invoiceVerifyResult =
			ctx.kind === 'invoice'
				? { invoiceVerifyStatus: 1, invoiceVerifyErrorCode: 0, invoiceVerifyCanRetry: 0, invoiceVerifyFailMsg: '' }
				: { invoiceVerifyStatus: 0, invoiceVerifyErrorCode: 1001, invoiceVerifyCanRetry: 1, invoiceVerifyFailMsg: 'Not a VAT invoice' };
	}
	return data;
}

export function pagesInfo(pageIndexes: number[], format: string, dpi: number) {
	const isPdf = format === 'pdf';
	return pageIndexes.map((page) => ({ page, angle: 0, width: 1240, height: 1754, dpi: isPdf ? dpi : 0 }));
}

export function documentFor(kind: DocKind, pageCount: number, classifyOnly: boolean) {
	const pages = [];
	for (let p = 0; p < pageCount; p++) {
		const lines = FIELDS[kind]
			.filter((f) => f.value !== '')
			.map((f, i) => ({ text: `${f.key}: ${f.value}`, position: box(60, 80 + i * 40, 600, 28) }));
		if (classifyOnly && lines.length > 2) lines.length = 2;
		pages.push({
			angle: 0,
			width: 1240,
			height: 1754,
			lines: p === 0 ? lines : [{ text: `Page ${p + 1}`, position: box(60, 80, 200, 28) }],
		});
	}
	return { pages };
}

// ---------- A category's configured fields and tables (category/fields/…, category/tables/…) ----------

/**
 * The fields and tables a category starts with: those its documents' results show (FIELDS and
 * the tables of generateData), picked by the category's kind. IDs are fixed per category
 * (prefix, the category ID's last 14 digits, a position), so they survive reset().
 */
export function defaultCategoryConfig(
	category: EmulatorCategory,
	ws: EmulatorWorkspace,
): { fields: EmulatorCategoryField[]; tables: EmulatorCategoryTable[] } {
	const kind = kindFromCategory(category.name, ws);
	const model = category.extract_model && category.extract_model !== 'mixed' ? category.extract_model : 'Auto';
	const idOf = (prefix: string, position: number) =>
		`${prefix}${category.id.slice(-14).padStart(14, '0')}${String(position).padStart(3, '0')}`;
	const fields = FIELDS[kind].map((f, i) => ({
		id: idOf('31', i + 1),
		name: f.key,
		description: '',
		prompt: '',
		use_prompt: false,
		alias: [],
		identity: f.identifier,
		multi_value: !!f.multi,
		duplicate_value_distinct: false,
		extract_model: model,
		enabled: 1,
	}));
	const tableName = kind === 'invoice' ? 'Goods Details' : kind === 'receipt' ? 'Purchased Items' : 'Payment Schedule';
	const column = (tablePosition: number) => ([key, identifier]: [string, string, string], c: number) => ({
		id: idOf(`3${2 + tablePosition}`, c + 1),
		name: key,
		description: '',
		prompt: '',
		use_prompt: false,
		alias: [],
		identity: identifier,
		multi_value: false,
		duplicate_value_distinct: false,
		extract_model: tablePosition === 0 ? model : 'DF-M1',
		enabled: 1,
	});
	const tables = [
		{
			id: idOf('39', 1),
			name: tableName,
			description: '',
			prompt: '',
			collect_from_multi_table: true,
			extract_model: model,
			fields: ROWS[kind][0].map(column(0)),
		},
		{
			id: idOf('39', 2),
			name: 'Tax Summary',
			description: '',
			prompt: '',
			collect_from_multi_table: false,
			extract_model: 'DF-M1',
			fields: (
				[
					['Tax Rate', 'tax_rate', ''],
					['Tax Amount', 'tax_amount', ''],
				] as Array<[string, string, string]>
			).map(column(1)),
		},
	];
	return { fields, tables };
}
