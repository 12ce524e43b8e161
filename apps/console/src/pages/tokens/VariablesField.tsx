import type { ComponentProps } from 'react';
import { TextAreaField } from '../../components/forms';

/** A token's template variables, one `key=value` per line: the same field when a token is created and when it is edited. */
export function VariablesField(bound: Omit<ComponentProps<typeof TextAreaField>, 'label'>) {
  return (
    <TextAreaField {...bound} label="Variables" hint="key=value per line; fill {{variable}} placeholders in the provider's URLs." rows={2} spellCheck={false} />
  );
}
