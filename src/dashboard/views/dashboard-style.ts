/** The dashboard's only stylesheet, inlined into every page (no external assets). */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --bg:#f6f8fa; --card:#fff; --line:#d0d7de; --text:#1f2328; --muted:#656d76; --blue:#0969da; --green:#1a7f37; --red:#cf222e; --orange:#bc4c00; --purple:#8250df; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text); font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif; }
a { color:var(--blue); text-decoration:none; } a:hover { text-decoration:underline; }
header.top { display:flex; align-items:center; gap:20px; padding:10px 24px; background:#24292f; color:#fff; }
header.top .brand { font-weight:600; font-size:16px; color:#fff; }
header.top nav a { color:#d0d7de; margin-right:14px; } header.top nav a:hover { color:#fff; }
header.top .who { margin-left:auto; color:#d0d7de; font-size:13px; } header.top .who a { color:#d0d7de; }
.live { font-size:12px; color:#d0d7de; } .live::before { content:"●"; margin-right:4px; color:#8c959f; }
.live.on::before { color:#4ac26b; } .live.off::before { color:#ff8182; }
main { max-width:1200px; margin:0 auto; padding:20px 24px 48px; }
h1 { font-size:22px; margin:0 0 4px; font-weight:600; } h2 { font-size:16px; margin:0; font-weight:600; }
.muted { color:var(--muted); } .mono, code, pre { font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,monospace; }
table { border-collapse:collapse; width:100%; background:var(--card); }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; font-weight:600; color:var(--muted); background:#f6f8fa; white-space:nowrap; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; margin:16px 0; overflow:hidden; }
.card > .head { display:flex; align-items:center; gap:10px; flex-wrap:wrap; padding:10px 14px; border-bottom:1px solid var(--line); background:#f6f8fa; }
.card > .body { padding:12px 14px; }
.facts { display:grid; grid-template-columns:repeat(auto-fill,minmax(170px,1fr)); gap:10px 20px; margin:14px 0 0; }
.facts > div > span:first-child { display:block; font-size:12px; color:var(--muted); }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; font-weight:600; border:1px solid transparent; white-space:nowrap; }
.b-queued, .b-waiting, .b-no-changes, .b-cancelled { background:#eaeef2; color:#57606a; }
.b-running, .b-active, .b-finishing { background:#ddf4ff; color:#0550ae; }
.b-passed, .b-done { background:#dafbe1; color:#116329; }
.b-failed, .b-error { background:#ffebe9; color:#a40e26; }
.b-timeout, .b-budget, .b-needs-rerun, .b-protected, .b-limit { background:#fff1e5; color:#953800; }
.steps { display:flex; gap:4px; flex-wrap:wrap; margin:0 0 10px; padding:0; list-style:none; }
.steps li { font-size:12px; padding:2px 10px; border-radius:4px; background:#eaeef2; color:#8c959f; }
.steps li.past { background:#dafbe1; color:#116329; } .steps li.now { background:#0969da; color:#fff; font-weight:600; }
.stats { display:flex; gap:18px; flex-wrap:wrap; margin:6px 0 10px; font-size:13px; } .stats b { font-weight:600; }
.plus { color:var(--green); } .minus { color:var(--red); }
.ok { color:var(--green); font-weight:600; } .bad { color:var(--red); font-weight:600; }
.note { background:#fff8c5; border:1px solid #d4a72c66; border-radius:6px; padding:6px 10px; margin:8px 0; font-size:13px; }
pre.log { margin:0; max-height:320px; overflow:auto; background:#0d1117; color:#e6edf3; padding:10px 12px; font-size:12px; line-height:1.45; white-space:pre-wrap; word-break:break-word; }
details.log-box { margin-top:10px; border:1px solid var(--line); border-radius:6px; overflow:hidden; }
details.log-box summary { cursor:pointer; padding:6px 10px; background:#f6f8fa; font-size:12px; color:var(--muted); }
.empty { padding:28px; text-align:center; color:var(--muted); }
.lanes-mini .badge { margin-right:3px; }
.center { max-width:460px; margin:80px auto; text-align:center; }
.button { display:inline-block; padding:6px 16px; border-radius:6px; background:#1f883d; color:#fff; font-weight:600; }
`;
