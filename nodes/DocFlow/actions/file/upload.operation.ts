import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { BatchUploads } from '../../helpers/batchUploads';
import { errorItem } from '../../helpers/itemErrors';
import { replaceReceiptsWithResults } from '../../helpers/waitForCompletion';
import { fetchWithResultQuery, isFinished } from '../../helpers/waitForFiles';
import type { TrackedFile } from '../../helpers/waitForFiles';
import type { DocflowFile, UploadedFile } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import { waitRequestFrom } from '../parameters/waitOptions';
import { runPerItem } from '../runPerItem';
import { newBatchNumber, prepareUpload, uploadModeFrom } from './uploadSettings';
import type { PreparedUpload } from './uploadSettings';

export { description } from './uploadParameters';

export const option = {
	name: 'Upload',
	description: 'Send documents to DocFlow to parse, classify and extract',
	action: 'Upload files',
};

/** The item's receipts (one per file DocFlow took), and the files to wait for. */
function receiptsOf(
	ctx: IExecuteFunctions,
	upload: PreparedUpload,
	batchNumber: string,
	uploaded: Array<UploadedFile | undefined>,
): { receipts: INodeExecutionData[]; tracked: TrackedFile[] } {
	const { itemIndex, workspaceId } = upload;
	const receipts: INodeExecutionData[] = [];
	const tracked: TrackedFile[] = [];
	const refused: string[] = [];
	for (const [fileIndex, file] of uploaded.entries()) {
		const binaryField = upload.files?.[fileIndex]?.binaryPropertyName;
		if (!file) {
			refused.push(upload.files?.[fileIndex]?.fileName ?? upload.urls?.[fileIndex] ?? '');
			continue;
		}
		tracked.push({ itemIndex, workspaceId, batchNumber, fileId: file.id, taskId: file.task_id, name: file.name, binaryField });
		const json: IDataObject = {
			workspace_id: workspaceId,
			batch_number: batchNumber,
			file_id: file.id,
			task_id: file.task_id,
			name: file.name,
			format: file.format,
		};
		if (binaryField) json.binary_field = binaryField;
		const receipt: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		if (upload.options.includeInputFile === true && binaryField) {
			receipt.binary = { [binaryField]: ctx.getInputData()[itemIndex].binary![binaryField] };
		}
		receipts.push(receipt);
	}
	if (refused.length > 0) {
		const error = itemError(
			ctx.getNode(),
			`DocFlow did not accept ${refused.map((name) => `“${name}”`).join(', ')} (batch ${batchNumber})`,
			{
				itemIndex,
				description:
					'DocFlow listed the other files of this item as uploaded but not these. Check that they are readable documents of a supported format, then upload them again.',
			},
		);
		if (!ctx.continueOnFail()) throw error;
		receipts.push(errorItem(ctx.getNode(), error, itemIndex, { workspace_id: workspaceId, batch_number: batchNumber }));
	}
	return { receipts, tracked };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const mode = uploadModeFrom(this);
	const uploads = new BatchUploads(mode.sync ? 'file/upload/sync' : 'file/upload', mode.combine);
	const trackedByItem = new Map<number, TrackedFile[]>();
	/** Final results the synchronous answers carried, by file ID: no need to poll for them. */
	const known = new Map<string, DocflowFile>();
	// Batch numbers are settled before anything is sent, so items running in parallel agree.
	let runBatchNumber: string | undefined;
	const batchNumberFor = (upload: PreparedUpload): string => {
		if (upload.explicitBatchNumber) return upload.explicitBatchNumber;
		const own = upload.oneBatchPerRun ? (runBatchNumber ??= newBatchNumber()) : newBatchNumber();
		uploads.markOwn(upload.workspaceId, own);
		return own;
	};
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const upload = await prepareUpload(this, itemIndex, mode);
			const batchNumber = batchNumberFor(upload);
			// Every item is checked (and added) before any request goes out: runPerItem prepares all first.
			uploads.add({
				itemIndex,
				workspaceId: upload.workspaceId,
				batchNumber,
				query: upload.query,
				files: upload.files,
				urls: upload.urls,
				retry: upload.retry,
			});
			return { upload, batchNumber };
		},
		run: async ({ upload, batchNumber }) => {
			const { files: uploaded, processed } = await uploads.result(this, upload.itemIndex);
			for (const file of processed) if (file && isFinished(file)) known.set(file.id, file);
			const { receipts, tracked } = receiptsOf(this, upload, batchNumber, uploaded);
			trackedByItem.set(upload.itemIndex, tracked);
			return receipts;
		},
		known: ({ upload, batchNumber }) => ({ workspace_id: upload.workspaceId, batch_number: batchNumber }),
		finish: async (outputByItem) => {
			const wait = waitRequestFrom(this);
			if (!wait) return;
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			if (mode.sync && known.size > 0 && options.includeDocumentText === true) {
				// The synchronous answers carry no document text (file/upload/sync has no
				// with_document): the finished files are read once more for it.
				const finished = [...trackedByItem.values()].flat().filter((file) => known.has(file.fileId));
				await fetchWithResultQuery(this, finished, known, wait.settings);
			}
			await replaceReceiptsWithResults(this, trackedByItem, outputByItem, wait, known);
		},
	});
}
