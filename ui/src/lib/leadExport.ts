// Saving a leads export to a file. A minimal, browser-only version with the agreed signature,
// written so the Leads page can be built and tested: the full version (desktop: the native
// save dialog, the core writing the file with progress; browser: this streamed download)
// replaces it.
//
// Browser: `GET /v1/leads/export?format=&from=&to=&columns=&agent_id=&bom=` with the session
// cookie. The server writes the file, then sends it with `X-Total-Count` (rows) and
// `Content-Length`; progress is the rows' share of the bytes received so far.

import type { LeadExportQuery } from './bindings';
import { ApiError, isDesktop, toApiError } from './transport';

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

export async function saveLeadsExport(
  query: LeadExportQuery,
  onProgress: (written: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ saved: boolean; path?: string; rows: number }> {
  if (isDesktop())
    throw new ApiError({
      code: 'unsupported',
      message: 'Exporting from the desktop app comes with the next update; use the browser UI.',
    });
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
  const reader = res.body?.getReader();
  try {
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        got += value.length;
        onProgress(length ? Math.min(rows, Math.floor((rows * got) / length)) : 0, rows);
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
