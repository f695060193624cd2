import type { ApiRequest, ApiResponse } from "./http-utils.js";

/** Slices `items` by `per_page` (default 30, max 100) and `page`, adding a GitHub-style Link header. */
export function paginate<T>(req: ApiRequest, apiUrl: string, items: readonly T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(req.query.get("per_page") ?? 30) || 30, 1), 100);
  const pageNo = Math.max(Number(req.query.get("page") ?? 1) || 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(req.query);
    query.set("per_page", String(perPage));
    query.set("page", String(n));
    return `<${apiUrl}${req.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNo > 1) links.push(link(pageNo - 1, "prev"));
  if (pageNo < lastPage) links.push(link(pageNo + 1, "next"), link(lastPage, "last"));
  if (pageNo > 1) links.push(link(1, "first"));
  return { page, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

export function paginatedResponse<T, U>(req: ApiRequest, apiUrl: string, items: readonly T[], map: (item: T) => U): ApiResponse {
  const { page, headers } = paginate(req, apiUrl, items);
  return { status: 200, body: page.map(map), headers };
}
