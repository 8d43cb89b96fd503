import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fileNameFromDisposition, zipEntryNames } from '../../transport/downloadedZip';
import { downloadCategorySamples } from '../../transport/endpoints/categorySample';
import { itemError } from '../../transport/errors';
import { categoryLocator } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { knownOf, readCategoryRef, readSampleIds } from './parameters';
import { explainRefusal } from './refusals';

export const option = {
	name: 'Download',
	description: 'Get samples of a file category as one ZIP file',
	action: 'Download category samples',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	categoryLocator,
	{
		displayName: 'Samples',
		name: 'samples',
		type: 'options',
		options: [
			{ name: 'All Samples', value: 'all', description: 'Every sample of the category' },
			{ name: 'Chosen Samples', value: 'chosen', description: 'The samples chosen below' },
		],
		default: 'all',
	},
	{
		displayName: 'Sample Names or IDs',
		name: 'sampleIds',
		type: 'multiOptions',
		typeOptions: {
			loadOptionsMethod: 'getCategorySamples',
			loadOptionsDependsOn: ['workspace.value', 'categoryId.value'],
		},
		default: [],
		required: true,
		hint: 'An expression may give one sample ID, a list of them, or several separated by commas, e.g. {{ $json.sample_id }}',
		description:
			'The samples to put into the ZIP. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { samples: ['chosen'] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the ZIP file in',
	},
	optionsCollection([
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'e.g. invoice-samples.zip',
			description: 'Name of the output file. Empty: the name DocFlow gives it.',
		},
	]),
];

/** The ZIP's MIME type: DocFlow's, unless it is only the generic one (the guide's octet-stream). */
function mimeTypeOf(contentType: string | undefined): string {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	return type === '' || type === 'application/octet-stream' ? 'application/zip' : type;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const ref = readCategoryRef(this, itemIndex);
			const chosen = this.getNodeParameter('samples', itemIndex, 'all') === 'chosen';
			const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
			if (field === '') {
				throw itemError(this.getNode(), 'Put Output File in Field is empty', {
					itemIndex,
					description: 'Set the name of the binary field the ZIP file goes into, usually “data”.',
				});
			}
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const fileName = typeof options.fileName === 'string' ? options.fileName.trim() : '';
			return {
				...ref,
				sampleIds: chosen ? readSampleIds(this, 'sampleIds', itemIndex, 'Sample Names or IDs') : undefined,
				field,
				fileName,
				options,
			};
		},
		known: knownOf,
		run: async (download, itemIndex) => {
			const file = await downloadCategorySamples(this, {
				...download,
				itemIndex,
				retry: retrySettingsFrom(download.options),
			}).catch((error: Error) => {
				throw explainRefusal(error, download);
			});
			const fileName =
				download.fileName ||
				fileNameFromDisposition(file.contentDisposition) ||
				`category-${download.categoryId}-samples.zip`;
			const mimeType = mimeTypeOf(file.contentType);
			const names = zipEntryNames(file.data);
			const json: IDataObject = {
				workspace_id: download.workspaceId,
				category_id: download.categoryId,
				file_name: fileName,
				mime_type: mimeType,
				file_size: file.data.length,
				sample_count: names.length,
				sample_file_names: names,
			};
			if (download.sampleIds) json.sample_ids = download.sampleIds;
			return [
				{
					json,
					binary: { [download.field]: await this.helpers.prepareBinaryData(file.data, fileName, mimeType) },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
}
