// Saving a leads export to a file.
//
// Desktop: the shell's `desktop_leads_export` opens the native save dialog and the core writes
// the file there (a temporary file renamed at the end, so a cancelled or failed export leaves
// nothing under the chosen name); progress comes as `EXPORT_PROGRESS_EVENT` events, Cancel is
// `desktop_leads_export_cancel`.
//
// Browser: a download of `GET /v1/leads/export?format=&from=&to=&columns=&agent_id=&bom=`
// with the session cookie. `X-Total-Count` is the rows to write. CSV is streamed as the rows
// are read (no length): progress is the lines received; XLSX is written whole by the server
// first, then sent with `Content-Length`: progress is the bytes' share.

import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { LeadExportQuery } from './bindings';
import { EXPORT_PROGRESS_EVENT, type ExportProgress } from './desktop-bindings';
import { call, isDesktop, toApiError } from './transport';

/** Whether the export asks where to save (the desktop app's save dialog) rather than being a
 * browser download. */
export const savesThroughDialog = (): boolean => isDesktop();

/** The export's address for `query`. */
export function exportUrl(q: LeadExportQuery): string {
  const p = new URLSearchParams({ format: q.format, from: q.from, to: q.to });
  if (q.columns) p.set('columns', q.columns);
  if (q.agent_id !== undefined) p.set('agent_id', String(q.agent_id));
  if (q.bom !== undefined) p.set('bom', String(q.bom));
  return `/v1/leads/export?${p}`;
}

function fileName(res: Response, q: LeadExportQuery): string {
  const cd = res.headers.get('Content-Disposition') ?? '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  return m ? m[1] : `leads-${q.from}-to-${q.to}.${q.format}`;
}

/** The result of an export: whether a file was saved (false: dismissed or cancelled, and
 * nothing written), where, and how many rows it holds. */
export type SavedExport = { saved: boolean; path?: string; rows: number };

/** Writes the export of `query` to a file, calling `onProgress(written, total)` along the way;
 * aborting `signal` cancels it. */
export async function saveLeadsExport(
  query: LeadExportQuery,
  onProgress: (written: number, total: number) => void,
  signal?: AbortSignal,
): Promise<SavedExport> {
  return isDesktop()
    ? saveOnDesktop(query, onProgress, signal)
    : download(query, onProgress, signal);
}

async function saveOnDesktop(
  query: LeadExportQuery,
  onProgress: (written: number, total: number) => void,
  signal?: AbortSignal,
): Promise<SavedExport> {
  let unlisten: UnlistenFn | null = null;
  const cancel = () => void call('desktop_leads_export_cancel', {}).catch(() => {});
  try {
    unlisten = await listen<ExportProgress>(EXPORT_PROGRESS_EVENT, (e) =>
      onProgress(e.payload.written, e.payload.total),
    );
    signal?.addEventListener('abort', cancel);
    const r = await call('desktop_leads_export', query);
    if (r.saved) onProgress(r.rows, r.rows);
    return { saved: r.saved, path: r.path, rows: r.rows };
  } finally {
    signal?.removeEventListener('abort', cancel);
    unlisten?.();
  }
}

async function download(
  query: LeadExportQuery,
  onProgress: (written: number, total: number) => void,
  signal?: AbortSignal,
): Promise<SavedExport> {
  let res: Response;
  try {
    res = await fetch(exportUrl(query), { credentials: 'same-origin', signal });
  } catch (e) {
    if (signal?.aborted) return { saved: false, rows: 0 };
    throw toApiError(e);
  }
  if (!res.ok) {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    throw toApiError(body, res.status);
  }
  const rows = Number(res.headers.get('X-Total-Count') ?? 0);
  const length = Number(res.headers.get('Content-Length') ?? 0);
  onProgress(0, rows);
  const chunks: BlobPart[] = [];
  let got = 0;
  // CSV: one line per row after the header (a value with a line break in it counts twice,
  // hence the cap at the total).
  let lines = -1;
  const reader = res.body?.getReader();
  try {
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        got += value.length;
        if (length) {
          onProgress(Math.min(rows, Math.floor((rows * got) / length)), rows);
        } else {
          for (const b of value) if (b === 10) lines++;
          onProgress(Math.min(rows, Math.max(0, lines)), rows);
        }
      }
    } else {
      chunks.push(await res.blob());
    }
  } catch (e) {
    if (signal?.aborted) return { saved: false, rows: 0 };
    throw toApiError(e);
  }
  if (signal?.aborted) return { saved: false, rows: 0 };
  onProgress(rows, rows);
  const blob = new Blob(chunks, {
    type: res.headers.get('Content-Type') ?? 'application/octet-stream',
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName(res, query);
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { saved: true, path: a.download, rows };
}
