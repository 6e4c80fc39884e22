/**
 * The one stylesheet: system fonts, light and dark through `prefers-color-scheme`, visible focus,
 * badges that carry a word and a symbol (colour only adds), tables that scroll inside their own
 * box so a phone-width page never scrolls sideways (code and schema blocks scroll too).
 */
export const UI_STYLE = `:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;--link:#0969da;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--info:#0969da;--focus:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--head:#151b23;--link:#4493f8;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--info:#4493f8;--focus:#4493f8}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:var(--bg);padding:.5em 1em;z-index:10}
.skip:focus{left:.5em}
header{border-bottom:1px solid var(--line);padding:.5em 1em}
header nav{display:flex;flex-wrap:wrap;align-items:center;gap:.5em 1.5em}
header ul{display:flex;flex-wrap:wrap;gap:1em;list-style:none;margin:0;padding:0}
header a[aria-current]{font-weight:600;text-decoration-thickness:3px}
.brand{font-weight:700}
main{display:block;padding:1em;max-width:80em;margin:0 auto}
main:focus{outline:none}
footer{color:var(--muted);padding:0 1em 1em;max-width:80em;margin:0 auto;font-size:.9em}
h1{font-size:1.5em;margin:.2em 0 .5em}
h2{font-size:1.2em;margin:1.5em 0 .5em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.5em 0}
caption{text-align:left;font-weight:600;padding:.3em 0;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.35em .6em;text-align:left;vertical-align:top;overflow-wrap:break-word}
thead th{background:var(--head)}
tbody tr:focus{outline:3px solid var(--focus);outline-offset:-3px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{overflow-x:auto;max-width:100%;background:var(--head);border:1px solid var(--line);padding:.6em;white-space:pre;overflow-wrap:normal}
.badge{display:inline-block;white-space:nowrap;border:1px solid currentColor;border-radius:1em;padding:0 .6em;font-size:.85em;font-weight:600}
.b-healthy,.b-in-sync,.b-ready,.b-success,.b-ok,.b-matches{color:var(--ok)}
.b-unhealthy,.b-stalled,.b-failed,.b-error,.b-quarantined{color:var(--bad)}
.b-starting,.b-out-of-sync,.b-not-ready,.b-drifted,.b-differs,.b-added,.b-removed,.b-changed{color:var(--warn)}
.b-suspended,.b-unknown,.b-none,.b-no-reports,.b-unlocked,.b-retired{color:var(--muted)}
.facts{color:var(--muted)}
.facts dt{display:inline;font-weight:600;white-space:nowrap;overflow-wrap:normal}
.facts dd{display:inline;margin:0 1.2em 0 .3em}
.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(14em,1fr));gap:.8em;padding:0;list-style:none}
.cards li{border:1px solid var(--line);border-radius:6px;padding:.6em .8em}
del{color:var(--bad);text-decoration:line-through}
ins{color:var(--ok);text-decoration:underline}
.live{border-left:3px solid var(--warn);padding-left:.6em;margin-top:.4em}
.diff-before{color:var(--bad)}
.diff-after{color:var(--ok)}
details>summary{cursor:pointer}
@media (max-width:40em){main{padding:.6em}th,td{padding:.3em .4em}}
`;
