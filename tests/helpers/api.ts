/** Calls a Next.js route handler the way the server does, with a real Request. */
export async function call(
  handler: (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>,
  url: string,
  init: RequestInit & { params?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await handler(new Request(new URL(url, 'http://localhost'), init), { params: Promise.resolve(init.params ?? {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
