import { PROVIDER_SETTING_NAMES, providerSetting, SETTING_SECTIONS, type SettingSection } from '@tessera/contracts';
import type { GrantType } from '../../api/types';

type FieldKind = 'text' | 'url' | 'secret' | 'number' | 'record' | 'list' | 'select' | 'checkbox' | 'textarea';

export interface ProviderField {
  name: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  options?: string[];
  /** The grant types that use this field; absent means every grant type. */
  grants?: GrantType[];
  /** Shown whatever the grant when the provider authenticates this way (a signing key with private_key_jwt). */
  clientAuth?: string[];
  section: SettingSection;
  /** Never shown again once saved (the client secret, the signing key): blank on edit keeps it. */
  writeOnly?: boolean;
  /** A choice that may be left blank (the server then picks, as its doc says). */
  blankChoice?: boolean;
}

/** Every provider setting (PROVIDER_SETTINGS, in contracts), and which grant types use it: the form hides the rest. */
const PROVIDER_FIELDS: ProviderField[] = PROVIDER_SETTING_NAMES.map((name) => {
  const setting = providerSetting(name);
  return {
    name,
    label: setting.label,
    // Names and response paths are typed like any text; the server says what they must look like.
    kind: setting.kind === 'name' || setting.kind === 'path' ? 'text' : setting.kind,
    section: setting.section,
    ...(setting.hint ? { hint: setting.hint } : {}),
    ...(setting.options ? { options: [...setting.options] } : {}),
    ...(setting.grants ? { grants: [...setting.grants] } : {}),
    ...(setting.clientAuth ? { clientAuth: [...setting.clientAuth] } : {}),
    ...(setting.writeOnly ? { writeOnly: true } : {}),
    ...(setting.kind === 'select' && setting.default === null && !setting.required ? { blankChoice: true } : {}),
  };
});

export const SECTIONS: { key: SettingSection; title: string }[] = SETTING_SECTIONS.map((section) => ({ ...section }));

/** A field's hint on this form: an existing provider's secret is kept when the field is left blank; a new one has none to keep. */
export function fieldHint(field: ProviderField, editing: boolean): string | undefined {
  return field.writeOnly && editing ? `${field.hint} Leave blank to keep the current one.` : field.hint;
}

export function visibleFields(grantType: GrantType, clientAuthMethod?: string): ProviderField[] {
  return PROVIDER_FIELDS.filter(
    (field) => !field.grants || field.grants.includes(grantType) || (clientAuthMethod !== undefined && field.clientAuth?.includes(clientAuthMethod)),
  );
}
