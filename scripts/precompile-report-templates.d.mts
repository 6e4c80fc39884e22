/** Types of scripts/precompile-report-templates.mjs for the tests that import it. */
export declare const REPORT_TEMPLATES: readonly string[];
export declare const REPORT_COMPILE_OPTIONS: { readonly noEscape: true; readonly strict: true };
export declare function precompiledTemplatesModule(root: string): string;
