export {
  analyzeTemplate,
  isTemplate,
  TEMPLATE_HELPERS,
  type TemplateAnalysis,
  templateVariables,
} from './analyze-template.js';
export { jsonHelper } from './create-engine.js';
export { prepareContext, renderPrepared, renderTemplate } from './render-template.js';
export { TEMPLATE_ROOTS, type TemplateContext, type TemplateRoot } from './template-context.js';
export { type FieldPath, mapTemplateFields, templateFields } from './template-fields.js';
