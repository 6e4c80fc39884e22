/**
 * The report templates as precompiled Handlebars specs, in the built CLI only: scripts/build.mjs
 * replaces this module with the one scripts/precompile-report-templates.mjs generates from the
 * product's templates/, so dist/ renders reports with handlebars' runtime and never loads (nor
 * runs) its compiler. In the sources, run through tsx, there are none: load-template.ts compiles
 * the template files instead, with the same options.
 */
import type { TemplateName } from './load-template.js';

export const precompiledTemplates: Readonly<Record<TemplateName, TemplateSpecification>> | undefined =
  undefined;
