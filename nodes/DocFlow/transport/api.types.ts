/**
 * The DocFlow API's shapes (rest-api/openapi.bundle.yaml), as far as the node reads them, one file
 * per area in ./types/. Everything else a response carries is passed through untouched.
 */
export * from './types/common';
export * from './types/file';
export * from './types/workspace';
export * from './types/category';
export * from './types/categorySample';
export * from './types/review';
