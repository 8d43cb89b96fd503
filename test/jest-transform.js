// Transpile-only TypeScript for jest: type checking is `npm run typecheck`'s job,
// so each test file costs one fast transpile instead of a full program build.
const ts = require('typescript');
module.exports = {
	process(sourceText, sourcePath) {
		const { outputText, sourceMapText } = ts.transpileModule(sourceText, {
			fileName: sourcePath,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2022,
				esModuleInterop: true,
				sourceMap: true,
				inlineSources: true,
			},
		});
		return { code: outputText, map: sourceMapText };
	},
};
