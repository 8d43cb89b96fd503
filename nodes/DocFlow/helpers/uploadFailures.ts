import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { isCancellation } from '../transport/cancellation';
import { DocflowApiError, itemError } from '../transport/errors';

/** What a failed upload request means for each item whose files it carried. */

/** DocFlow codes that refuse the request whatever its files are (credential, enterprise, balance). */
const REQUEST_WIDE_CODES = new Set([40101, 40102, 40103, 40301, 40003]);

/**
 * DocFlow refused a request outright, possibly because of one of its files: a business code
 * (HTTP 200) that is not about the credential, the enterprise, the balance or the workspace, or
 * a 400/413 (a gateway's body limit). It stored none of that request, so its items can be sent
 * one by one and the refusal lands on the item it is about.
 */
export function refusedForOneOfItsFiles(error: Error): boolean {
	if (!(error instanceof DocflowApiError)) return false;
	const { docflow } = error;
	if (docflow.accepted !== 'no' || docflow.networkCode || docflow.redirect) return false;
	if (docflow.httpStatus === 400 || docflow.httpStatus === 413) return true;
	if (docflow.httpStatus !== 200 || docflow.code === undefined || docflow.code === 900) return false;
	if (REQUEST_WIDE_CODES.has(docflow.code)) return false;
	return !/workspace|工作空间|空间/i.test(docflow.msg ?? '');
}

/** The file named by a failure to read a file from n8n's binary storage while sending, if that is what failed. */
export function unreadableFile(error: Error): string | undefined {
	if (!(error instanceof NodeOperationError) || !error.message.startsWith('Could not read the file')) return undefined;
	const fileName = error.context.fileName;
	return typeof fileName === 'string' ? fileName : undefined;
}

/** A request's failure as the error of one of its items: naming that item, DocFlow's code and trace ID kept. */
export function errorForItem(node: INode, error: Error, itemIndex: number): Error {
	if (isCancellation(error)) return error;
	if (error instanceof DocflowApiError) {
		return error.context.itemIndex === itemIndex ? error : new DocflowApiError(node, error.docflow, itemIndex);
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		if (error.context.itemIndex === itemIndex) return error;
		const context = { ...error.context };
		delete context.itemIndex;
		return itemError(node, error.message.replace(/ \[item \d+\]$/, ''), {
			itemIndex,
			description: error.description ?? undefined,
			context,
		});
	}
	return error;
}

export function mayHaveBeenUploaded(node: INode, names: string[], batchNumber: string, itemIndex: number): NodeOperationError {
	return itemError(node, `${names.map((name) => `“${name}”`).join(', ')} may have been uploaded — check batch ${batchNumber}`, {
		itemIndex,
		description: `The answer to this upload got lost, and another item of this run also sent a file of the same name into batch ${batchNumber} without an answer, so the node cannot tell which stored file is whose. It did not send the file again, to avoid a duplicate. Look at batch ${batchNumber} with Fetch Batch; if the document is missing, upload it again (a distinct file name avoids this).`,
		context: { fileName: names.join(', ') },
	});
}
