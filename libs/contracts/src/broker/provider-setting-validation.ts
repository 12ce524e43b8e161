import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { Doc, Nullable, Secret } from '../schema.js';
import { BROKER_NAME_MESSAGE, BROKER_NAME_PATTERN, IsScopeList, IsStringRecord, TEMPLATED_URL_PATTERN } from './common.js';
import { isNullableSetting, PROVIDER_SETTINGS, type ProviderSetting, type ProviderSettingName } from './provider-settings.js';

const PATH_PATTERN = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

type Decorate = (target: object, property: string) => void;

/** The validators a setting's kind and limits mean: the one place a setting's validation is written. */
function validators(name: string, setting: ProviderSetting): Decorate[] {
  const maxLength = setting.maxLength ?? 200;
  switch (setting.kind) {
    case 'name':
      return [IsString(), Matches(BROKER_NAME_PATTERN, { message: `${name} ${BROKER_NAME_MESSAGE}` })];
    case 'url':
      return [Matches(TEMPLATED_URL_PATTERN, { message: `${name} must be an http(s) URL (it may hold {{variable}} placeholders)` }), MaxLength(2048)];
    case 'path':
      return [Matches(PATH_PATTERN, { message: `${name} must be a property name or a dotted path such as data.access_token` }), MaxLength(200)];
    case 'select':
      return [IsIn(setting.options!, { message: `${name} must be one of ${setting.options!.join(', ')}` })];
    case 'number':
      return [Type(() => Number) as Decorate, IsInt(), Min(setting.min ?? 0), Max(setting.max ?? Number.MAX_SAFE_INTEGER)];
    case 'checkbox':
      return [IsBoolean()];
    case 'record':
      return [IsStringRecord()];
    case 'list':
      return [IsScopeList()];
    case 'secret':
    case 'textarea':
      return [IsString(), MaxLength(maxLength)];
    case 'text':
      // A required text (the client id) or a separator cannot be empty: an empty one would mean "none" silently.
      return [IsString(), MinLength(1), MaxLength(maxLength)];
  }
}

/**
 * Declares settings on a request class: their doc and validators from PROVIDER_SETTINGS. `required` names those the
 * class requires; the others are optional.
 */
export function declareSettings(
  target: abstract new () => object,
  names: readonly ProviderSettingName[],
  required: readonly ProviderSettingName[] = [],
  /** Required ones that become optional when this says so (a provider made from a template takes them from it). */
  optionalWhen?: (request: object) => boolean,
): void {
  decorateSettings(target, names, (name, setting) => [
    ...(setting.writeOnly ? [Secret()] : []),
    ...(!required.includes(name)
      ? [IsOptional()]
      : optionalWhen
        ? [ValidateIf((request: object, value: unknown) => value !== undefined || !optionalWhen(request))]
        : []),
    ...validators(name, setting),
  ]);
}

/** Puts on each named property its doc and the decorators `more` gives, as if written above it in that order. */
function decorateSettings(
  target: abstract new () => object,
  names: readonly ProviderSettingName[],
  more: (name: ProviderSettingName, setting: ProviderSetting) => Decorate[],
): void {
  for (const name of names) {
    const setting: ProviderSetting = PROVIDER_SETTINGS[name];
    const decorators: Decorate[] = [Doc(setting.doc) as Decorate, ...more(name, setting)];
    // Applied last to first, as decorators written above a property are: the schema generator reads them in that order.
    for (const decorate of decorators.reverse()) decorate(target.prototype, name);
  }
}

/** The view's type for each kind (the answer is checked by the OpenAPI response test, not validated). */
function viewValidators(setting: ProviderSetting): Decorate[] {
  switch (setting.kind) {
    case 'number':
      return [IsInt()];
    case 'checkbox':
      return [IsBoolean()];
    case 'record':
      return [IsStringRecord()];
    case 'list':
      return [IsScopeList()];
    case 'select':
      return [IsIn(setting.options!)];
    default:
      return [IsString()];
  }
}

/** Declares the stored settings on the view: present always, null where the default is null. */
export function declareSettingViews(target: abstract new () => object, names: readonly ProviderSettingName[]): void {
  decorateSettings(target, names, (name, setting) => [...(isNullableSetting(name) ? [Nullable()] : []), ...viewValidators(setting)]);
}
