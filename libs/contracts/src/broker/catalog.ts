import { Type } from 'class-transformer';
import { Allow, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Doc, Nullable } from '../schema.js';
import { GRANT_TYPES, type GrantType } from './vocabulary.js';

/** A catalog template's id: the file name of a repository template, or an admin's own. */
export const TEMPLATE_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

@Doc('Which catalog templates to list')
export class CatalogQuery {
  @Doc('Words that must all appear in the name, id or description') @IsOptional() @IsString() @MaxLength(200) search?: string;
  @Doc('Only templates in this category') @IsOptional() @IsString() @MaxLength(100) category?: string;
}

@Doc('A catalog template, as a list shows it')
export class CatalogSummary {
  @Doc('Its id (what POST /admin/providers names as template)') @IsString() id: string;
  @Doc('Its version: raised with every change of a fact') @IsInt() version: number;
  @Doc('The provider, for people') @IsString() name: string;
  @Doc('What it gives access to') @Nullable() @IsString() description: string | null;
  @Doc('Its categories') @IsArray() @IsString({ each: true }) categories: string[];
  @Doc("The provider's documentation") @IsString() docsUrl: string;
  @Doc('The grants it serves') @IsArray() @IsIn(GRANT_TYPES, { each: true }) grantTypes: GrantType[];
  @Doc("An admin's own template (POST /admin/catalog or an import) rather than one of the repository's") @IsBoolean() custom: boolean;
}

@Doc('The catalog templates that match, and every category')
export class CatalogList {
  @Doc('The templates, by name') @ValidateNested({ each: true }) @Type(() => CatalogSummary) items: CatalogSummary[];
  @Doc('Every category of the catalog, to choose from') @IsArray() @IsString({ each: true }) categories: string[];
}

@Doc('One catalog template, by id')
export class CatalogIdRequest {
  @Doc('Its id') @IsString() @Matches(TEMPLATE_ID_PATTERN, { message: 'id must be a template id (lowercase letters, digits and hyphens)' }) id: string;
}

@Doc('A whole catalog template')
export class CatalogEntry {
  @Doc("An admin's own template rather than one of the repository's") @IsBoolean() custom: boolean;
  @Doc('The template, as libs/catalog/schema/provider-template.schema.json describes it', { type: 'object' }) @Allow() template: unknown;
}

/** POST /admin/catalog: a template of the admin's own, in the catalog's schema. */
@Doc("A template of the admin's own, in the catalog's schema (libs/catalog/schema/provider-template.schema.json)")
export class SaveTemplateRequest {
  @Doc('The template', { type: 'object' }) @IsDefined({ message: 'template is required: a provider template in the catalog schema' }) template: unknown;
}

/** POST /admin/catalog/import: a Nango-format providers.yaml, as text. */
@Doc('A providers.yaml in the Nango format, as text')
export class ImportTemplatesRequest {
  @Doc('The YAML text') @IsString() @MaxLength(5_000_000) yaml: string;
}

@Doc('An entry of the imported file and what became of it')
export class ImportedTemplate {
  @Doc("The entry's key in the file") @IsString() key: string;
  @Doc('The template made of it, when one was') @IsOptional() @IsString() id?: string;
  @Doc('Its version') @IsOptional() @IsInt() version?: number;
  @Doc('Why it was skipped, when it was') @IsOptional() @IsString() reason?: string;
}

@Doc('What an import did: entries imported and entries skipped, each with its reason')
export class ImportTemplatesReply {
  @Doc('The entries that became templates') @ValidateNested({ each: true }) @Type(() => ImportedTemplate) imported: ImportedTemplate[];
  @Doc('The entries left out, with why') @ValidateNested({ each: true }) @Type(() => ImportedTemplate) skipped: ImportedTemplate[];
}

@Doc('A provider, to move to the newest version of its template')
export class ApplyTemplateUpdateRequest {
  @Doc('The provider') @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}
