import { useId, useState, type KeyboardEvent } from 'react';
import { beyondRole, parsePermission, PERMISSION_PATTERN, permissionProblem as grammarProblem, type AdminRole } from '@tessera/permissions';

/**
 * Why a typed permission is not valid yet, in the words of the grammar `<instance>:<resource>=<action>`. The API's
 * own check (@tessera/permissions) decides, so the console never accepts what the API would refuse.
 */
export function permissionProblem(text: string, ceiling?: AdminRole): string | undefined {
  if (!text) return undefined;
  if (PERMISSION_PATTERN.test(text)) {
    const problem = grammarProblem(text);
    if (problem) return `${text} ${problem}`;
    // The same ceiling the registry applies: what the signed-in role cannot hand on never becomes a chip.
    return ceiling && beyondRole(ceiling, [text]).length ? `${text} is beyond your role (${ceiling}): only a higher role may grant it` : undefined;
  }
  if (!text.includes(':')) return 'Start with the instance name or *, then a colon: *:orgs=read';
  if (!text.includes('=')) return 'Add =action after the resource: *:orgs=read';
  if (/[A-Z]/.test(text)) return 'Use lowercase letters only';
  if (/^[^:]*:[^=]*\/[^=]*=/.test(text)) return 'After the resource, /name names one thing: *:tokens/acme-crm=read';
  return 'Not <instance>:<resource>=<action> (e.g. *:orgs=read, acme:users=read, *:tokens/acme-crm=proxy)';
}

/** What a permission lets its holder do, for the token forms whose meaning is not obvious from the string. */
export function permissionMeaning(text: string): string | undefined {
  const p = parsePermission(text);
  if (!p || (p.action !== 'read' && p.action !== 'proxy')) return undefined;
  const use = p.action === 'read' ? 'Reads the raw access token of' : 'Calls through the proxy with';
  if (p.resource === 'tokens') return `${use} ${p.name ? `the outbound token ${p.name}` : 'every outbound token (not P2PI tokens)'}`;
  if (p.resource === 'p2pi')
    return `${use} ${p.instance === '*' ? 'what the platform holds for every platform instance' : `what the platform holds for instance ${p.instance}`} (P2PI)`;
  return undefined;
}

interface Props {
  value: string[];
  onChange(value: string[]): void;
  errors?: string[];
  suggestions?: string[];
  /** The signed-in role: permissions beyond it are refused as typed and not suggested. */
  ceiling?: AdminRole;
}

/**
 * Permissions as chips. The grammar is checked as you type with the API's own pattern (@tessera/permissions), so an
 * entry that would be refused never becomes a chip. Enter, comma or space adds; Backspace on an empty box removes the last.
 */
export function PermissionChips({ value, onChange, errors = [], suggestions: offered = [], ceiling }: Props) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const problem = permissionProblem(draft.trim(), ceiling);
  const suggestions = ceiling ? offered.filter((s) => !beyondRole(ceiling, [s]).length) : offered;
  const add = () => {
    const text = draft.trim();
    if (!text || permissionProblem(text, ceiling)) return;
    if (!value.includes(text)) onChange([...value, text]);
    setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',' || event.key === ' ') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && !draft && value.length) {
      onChange(value.slice(0, -1));
    }
  };
  const described = [`${id}-hint`, problem ? `${id}-problem` : '', errors.length ? `${id}-errors` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>Permissions</label>
      <div className="chips" role="group" aria-label="Granted permissions">
        {value.length === 0 && <span className="hint">None yet: add at least one.</span>}
        {value.map((permission) => (
          <span className="chip" key={permission} title={permissionMeaning(permission)}>
            <code>{permission}</code>
            {permissionMeaning(permission) && <span className="visually-hidden"> — {permissionMeaning(permission)}</span>}
            <button type="button" aria-label={`Remove permission ${permission}`} onClick={() => onChange(value.filter((p) => p !== permission))}>
              ×
            </button>
          </span>
        ))}
      </div>
      <div className="row">
        <input
          id={id}
          list={suggestions.length ? `${id}-suggestions` : undefined}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="*:orgs=read"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem || errors.length ? true : undefined}
          aria-describedby={described}
        />
        <button type="button" onClick={add} disabled={!draft.trim() || Boolean(problem)}>
          Add permission
        </button>
      </div>
      {suggestions.length > 0 && (
        <datalist id={`${id}-suggestions`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
      <p className="hint" id={`${id}-hint`}>
        <code>&lt;instance&gt;:&lt;resource&gt;=&lt;action&gt;</code>; <code>*</code> means any instance; <code>/name</code> after the resource names one (
        <code>*:tokens/acme-crm=read</code> reads one outbound token's raw token, <code>=proxy</code> calls through the proxy with it;
        <code>acme:p2pi=proxy</code> calls platform instance acme). Press Enter to add.
      </p>
      {problem && (
        <p className="field-problem" id={`${id}-problem`} aria-live="polite">
          {problem}
        </p>
      )}
      {errors.length > 0 && (
        <ul className="field-errors" id={`${id}-errors`} role="alert">
          {errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
