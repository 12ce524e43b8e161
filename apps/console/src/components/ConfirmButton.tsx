import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface ConfirmButtonProps {
  /** The button's text ("Delete"), and the confirming button's unless `confirmLabel` says otherwise. */
  label: string;
  /** The accessible name of the button when its text alone is ambiguous in a list ("Delete provider acme"). */
  ariaLabel?: string;
  /** The question ("Delete provider acme?"). */
  title: string;
  /** What will happen: what is revoked, who loses access, what cannot be undone. */
  children: ReactNode;
  confirmLabel?: string;
  onConfirm(): unknown;
  disabled?: boolean;
  className?: string;
}

/**
 * A destructive action that asks first, in the page (not window.confirm, which says nothing about consequences and
 * cannot be styled or tested), naming what it will revoke. Escape or Cancel closes it; focus goes to the question.
 */
export function ConfirmButton({ label, ariaLabel, title, children, confirmLabel, onConfirm, disabled, className = 'danger' }: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  const confirm = () => {
    setOpen(false);
    void onConfirm();
  };
  return (
    <>
      <button type="button" ref={opener} className={className} onClick={() => setOpen(true)} aria-label={ariaLabel} aria-expanded={open} disabled={disabled}>
        {label}
      </button>
      {open && <div className="confirm-backdrop" onClick={close} />}
      {open && (
        <div
          className="confirm"
          role="alertdialog"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-body`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
            {title}
          </h3>
          <div id={`${id}-body`}>{children}</div>
          <div className="actions">
            <button type="button" className="danger primary-danger" onClick={confirm}>
              {confirmLabel ?? label}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </>
  );
}
