import type { INodeProperties } from 'n8n-workflow';

/** A collection's options in the alphabetical order n8n's panels use, shared ones included. */
export function alphabetical(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));
}
