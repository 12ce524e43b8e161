/** The template JSON Schema (draft 2020-12), shipped beside the providers so editors and other tools can use it too. */
export const TEMPLATE_SCHEMA_URL = new URL('../schema/provider-template.schema.json', import.meta.url);
