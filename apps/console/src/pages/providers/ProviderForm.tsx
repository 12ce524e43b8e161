import { PROVIDER_SETTING_NAMES, providerSetting, type CreateProviderRequest } from '@tessera/contracts';
import type { GrantType, ProviderView } from '../../api/types';
import { Checkbox, FormError, SelectField, TextAreaField, TextField } from '../../components/forms';
import { formatRecord, parseRecord } from '../../components/records';
import { useForm } from '../../components/useForm';
import { CallbackUrl } from './CallbackUrl';
import { fieldHint, SECTIONS, visibleFields, type ProviderField } from './provider-fields';

type Draft = Record<string, string | boolean>;

/** A choice or checkbox starts at the setting's own default (PROVIDER_SETTINGS), so the form shows what blank means. */
const SELECTED_DEFAULTS: Draft = Object.fromEntries(
  PROVIDER_SETTING_NAMES.map((name) => [name, providerSetting(name)] as const)
    .filter(
      ([, setting]) =>
        (setting.kind === 'select' || setting.kind === 'checkbox') && (typeof setting.default === 'string' || typeof setting.default === 'boolean'),
    )
    .map(([name, setting]) => [name, setting.default as string | boolean]),
);

function draftFrom(provider?: ProviderView): Draft {
  const draft: Draft = { grantType: 'authorization_code', ...SELECTED_DEFAULTS };
  if (!provider) return draft;
  for (const [key, value] of Object.entries(provider)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) draft[key] = value.join(' ');
    else if (typeof value === 'object') draft[key] = formatRecord(value as Record<string, string>);
    else if (typeof value === 'boolean') draft[key] = value;
    else draft[key] = String(value);
  }
  return draft;
}

/**
 * Only the fields the chosen grant type uses are sent; blanks are left to the server's defaults. The body is built from
 * the form's field table (provider-fields.ts), so its type is the request's by assertion; the server validates it.
 */
function providerBody(draft: Draft, fields: ProviderField[]): CreateProviderRequest {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = draft[field.name];
    if (field.kind === 'checkbox') {
      body[field.name] = Boolean(value);
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (field.kind === 'number') body[field.name] = Number(value);
    else if (field.kind === 'list') body[field.name] = value.split(/\s+/).filter(Boolean);
    else if (field.kind === 'record') body[field.name] = parseRecord(value);
    else body[field.name] = field.name === 'scopeSeparator' ? value : value.trim();
  }
  return body as unknown as CreateProviderRequest;
}

export function ProviderForm({
  initial,
  onSubmit,
  onCancel,
}: {
  initial?: ProviderView;
  onSubmit(body: CreateProviderRequest): Promise<void>;
  onCancel(): void;
}) {
  const form = useForm(
    () => draftFrom(initial),
    (draft) => onSubmit(providerBody(draft, visibleFields(draft.grantType as GrantType, draft.clientAuthMethod as string))),
  );
  const fields = visibleFields(form.values.grantType as GrantType, form.values.clientAuthMethod as string);
  const control = (field: ProviderField) => {
    const common = { label: field.label, hint: fieldHint(field, Boolean(initial)) };
    switch (field.kind) {
      case 'checkbox':
        return <Checkbox key={field.name} {...common} {...form.check(field.name)} />;
      case 'select':
        return (
          <SelectField
            key={field.name}
            {...common}
            {...form.bind(field.name)}
            options={[
              ...(field.blankChoice ? [{ value: '', label: '(default)' }] : []),
              ...(field.options ?? []).map((o) => ({ value: o, label: o.replace(/_/g, ' ') })),
            ]}
          />
        );
      case 'record':
      case 'textarea':
        return <TextAreaField key={field.name} {...common} {...form.bind(field.name)} rows={2} spellCheck={false} />;
      default:
        return (
          <TextField
            key={field.name}
            {...common}
            {...form.bind(field.name)}
            type={field.kind === 'secret' ? 'password' : field.kind === 'number' ? 'number' : field.kind === 'url' ? 'url' : 'text'}
            autoComplete={field.kind === 'secret' ? 'new-password' : 'off'}
          />
        );
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label={initial ? `Edit provider ${initial.name}` : 'New provider'}>
      <FormError error={form.error} shownFields={fields.map((f) => f.name)} />
      {form.values.grantType === 'authorization_code' && <CallbackUrl />}
      {SECTIONS.map((section) => {
        const inSection = fields.filter((f) => f.section === section.key);
        return inSection.length ? (
          <fieldset key={section.key}>
            <legend>{section.title}</legend>
            <div className="grid-2">{inSection.map(control)}</div>
          </fieldset>
        ) : null;
      })}
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {initial ? 'Save provider' : 'Create provider'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
