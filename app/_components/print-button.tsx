'use client';

/** The print report's one control: opens the browser's print dialog (which can save a PDF). */
export function PrintButton({ label, hint }: { label: string; hint: string }) {
  return (
    <p className="no-print actions">
      <button type="button" onClick={() => window.print()}>
        {label}
      </button>{' '}
      <span className="muted">{hint}</span>
    </p>
  );
}
