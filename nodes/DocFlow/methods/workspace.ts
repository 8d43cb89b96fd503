import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport/credentials';
import { listWorkspaces } from '../transport/endpoints/workspace';
import { PICKER_RETRY } from './pickerRetry';

const PAGE_SIZE = 50;

/** Workspace picker: workspace/list needs the enterprise, which lives in the credential. */
async function searchWorkspaces(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const enterpriseId = String(credentials.enterpriseId ?? '').trim();
	if (enterpriseId === '') {
		throw new NodeOperationError(
			this.getNode(),
			'Set Enterprise ID in the DocFlow credential to list workspaces',
			{
				description:
					'DocFlow lists workspaces per enterprise. Find the Enterprise ID in DocFlow (click the logo, then Enterprise Management), or switch Workspace to “By ID”.',
			},
		);
	}
	const page = paginationToken ? Number(paginationToken) : 1;
	const result = await listWorkspaces(
		this,
		{ enterpriseId, page, pageSize: PAGE_SIZE },
		{ retry: PICKER_RETRY },
	);
	const workspaces = Array.isArray(result?.workspaces) ? result.workspaces : [];
	const needle = filter?.trim().toLowerCase();
	const total = typeof result?.total === 'number' ? result.total : 0;
	return {
		results: workspaces
			.filter((w) => !needle || w.name.toLowerCase().includes(needle) || w.workspace_id.includes(needle))
			.map((w) => ({ name: w.name, value: w.workspace_id, description: w.description })),
		paginationToken: page * PAGE_SIZE < total ? String(page + 1) : undefined,
	};
}

/** The pickers of the Workspace resource (and of every operation's Workspace). */
export const listSearch = { searchWorkspaces };
export const loadOptions = {};
