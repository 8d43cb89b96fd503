import { simplifyFile, simplifyWithChildren } from '../../../../nodes/DocFlow/helpers/simplify';
import type { DocflowFile } from '../../../../nodes/DocFlow/transport/api.types';

const position = [{ page: 0, vertices: [0, 0, 1, 0, 1, 1, 0, 1] }];

const invoice: DocflowFile = {
	id: 'f1',
	task_id: 't1',
	task_type: 1,
	batch_number: 'b1',
	name: 'invoice.pdf',
	format: 'pdf',
	recognition_status: 1,
	verification_status: 2,
	category: '发票',
	total_page_num: 2,
	duration_ms: 1234,
	task_detail_url: 'https://docflow.example/task/t1',
	data: {
		fields: [
			{ key: 'Invoice Number', value: '28737000', position, confidence: 0.9 },
			{ key: 'Amount', value: '100.00' },
			{ key: 'Amount', value: '20.00' },
			{ key: '', value: 'nameless' },
		],
		items: [[{ key: 'ignored when tables exist', value: 'x' }]],
		tables: [
			{
				tableName: 'Goods',
				tableType: '0',
				items: [
					[
						{ key: 'Name', value: '＊Electronic Computer＊' },
						{ key: 'Model', value: 'DMS-SC68' },
					],
					[
						{ key: 'Name', value: '＊Supercomputer＊' },
						{ key: 'Model', value: 'AN/FSQ-7' },
					],
				],
			},
			{ tableName: '', items: [[{ value: 'cell without a column name' }]] },
		],
		stamps: [{ text: 'Tax Bureau Seal', color: 'Red' }, { text: '' }],
		handwritings: [{ text: 'Zhang San', position }],
		invoiceVerifyResult: { invoiceVerifyStatus: 0, invoiceVerifyFailMsg: 'Exceeded daily limit' },
	},
	document: { pages: [{ lines: [{ text: 'line 1' }, { text: 'line 2' }] }, { lines: [{ text: 'page 2' }] }] },
};

describe('Simplify', () => {
	test('every field kind becomes something a sheet can take', () => {
		expect(simplifyFile(invoice)).toEqual({
			file_id: 'f1',
			task_id: 't1',
			batch_number: 'b1',
			file_name: 'invoice.pdf',
			format: 'pdf',
			category: '发票',
			status: 'success',
			status_code: 1,
			status_name: 'Recognition Success',
			verification_status: 'Confirmed',
			task_type: 'regular',
			fields: { 'Invoice Number': '28737000', Amount: '100.00', 'Amount (2)': '20.00', 'Field 4': 'nameless' },
			tables: {
				Goods: [
					{ Name: '＊Electronic Computer＊', Model: 'DMS-SC68' },
					{ Name: '＊Supercomputer＊', Model: 'AN/FSQ-7' },
				],
				'Table 2': [{ 'Column 1': 'cell without a column name' }],
			},
			stamps: ['Tax Bureau Seal'],
			handwritings: ['Zhang San'],
			invoice_verified: false,
			invoice_verify_message: 'Exceeded daily limit',
			page_count: 2,
			duration_ms: 1234,
			task_detail_url: 'https://docflow.example/task/t1',
			text: 'line 1\nline 2\n\npage 2',
		});
	});

	test('results with only the flat items table keep it as “items”', () => {
		const old = { ...invoice, data: { items: [[{ key: 'Name', value: 'A' }]] } } as DocflowFile;
		expect(simplifyFile(old).tables).toEqual({ items: [{ Name: 'A' }] });
	});

	test('a failed file keeps its failure cause; unknown codes say unknown', () => {
		const failed = simplifyFile({ ...invoice, recognition_status: 2, failure_causes: 'damaged', data: undefined });
		expect(failed).toMatchObject({ status: 'failed', status_code: 2, failure_causes: 'damaged', fields: {}, tables: {} });
		expect(simplifyFile({ ...invoice, recognition_status: 99 })).toMatchObject({ status: 'unknown', status_name: 'Unknown' });
	});

	test('children become their own items, linked to the parent', () => {
		const parent: DocflowFile = {
			...invoice,
			task_type: 2,
			data: {},
			child_files: [
				{ ...invoice, id: 'c1', task_id: 'ct1', task_type: 0, parent_task_id: 't1', batch_number: undefined },
				{ ...invoice, id: 'c2', task_id: 'ct2', task_type: 3, parent_task_id: 't1' },
			],
		};
		const [p, c1, c2] = simplifyWithChildren(parent);
		expect(p).toMatchObject({ task_type: 'parent', child_task_ids: ['ct1', 'ct2'] });
		expect(c1).toMatchObject({ task_type: 'split part', parent_task_id: 't1', parent_file_id: 'f1', batch_number: 'b1' });
		expect(c2).toMatchObject({ task_type: 'cropped image', parent_task_id: 't1' });
	});
});
