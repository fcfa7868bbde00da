import type { AuditFilterFields } from './audit-filters.js';
import { type ConsoleText, layout, type PageHandler } from './console-pages.js';
import { escapeHtml } from './html.js';

/** What the audit page shows: who is looking, the UI strings, and the filters from the address. */
export interface AuditPageOptions {
  readonly handler: PageHandler;
  readonly text: ConsoleText;
  readonly strings: Record<string, string>;
  readonly filters: AuditFilterFields;
}

/**
 * The supervisors' audit log page: a filter form (handler, conversation,
 * London dates; a plain GET form, so the filters live in the address and the
 * Back button works) and a table its script fills, newest first, a page at a
 * time, with every value set as text. The form's values come from the
 * address and are escaped here; the script reads them back from the address.
 */
export function renderAuditPage({ handler, text, strings, filters }: AuditPageOptions): string {
  const e = escapeHtml;
  const title = text('console.audit.title');
  const value = (name: keyof AuditFilterFields) => (filters[name] === undefined ? '' : ` value="${e(filters[name] as string)}"`);
  const field = (name: keyof AuditFilterFields, label: string, type: 'text' | 'date', extra = '') =>
    `<div><label for="filter-${name}">${e(label)}</label>
<input type="${type}" id="filter-${name}" name="${name}"${value(name)}${extra}></div>`;
  return layout({
    title,
    handler,
    text,
    script: 'audit.js',
    data: { me: handler.username, strings },
    main: `<p><a href="/console">${e(text('console.ticket.back'))}</a></p>
<h1>${e(title)}</h1>
<p>${e(text('console.audit.intro'))}</p>
<form method="get" action="/console/audit">
<fieldset class="filters">
<legend>${e(text('console.audit.filters'))}</legend>
${field('handler', text('console.audit.handler'), 'text', ' autocomplete="off" spellcheck="false" maxlength="32"')}
${field('ticket', text('console.audit.ticket'), 'text', ' autocomplete="off" spellcheck="false" maxlength="64"')}
${field('from', text('console.audit.from'), 'date')}
${field('to', text('console.audit.to'), 'date')}
<div class="buttons">
<button type="submit">${e(text('console.audit.apply'))}</button>
<a href="/console/audit">${e(text('console.audit.clear'))}</a>
</div>
</fieldset>
</form>
<p id="result" class="result" role="status" aria-live="polite"></p>
<table class="audit" id="audit">
<caption>${e(text('console.audit.caption'))}</caption>
<thead>
<tr><th scope="col">${e(text('console.audit.time'))}</th><th scope="col">${e(text('console.audit.who'))}</th><th scope="col">${e(text('console.audit.action'))}</th><th scope="col">${e(text('console.audit.conversation'))}</th><th scope="col">${e(text('console.audit.details'))}</th></tr>
</thead>
<tbody id="entries"></tbody>
</table>
<p id="audit-empty" class="empty" hidden>${e(text('console.audit.empty'))}</p>
<button type="button" id="more" hidden>${e(text('console.audit.more'))}</button>`,
  });
}
