/**
 * The site's one stylesheet, served by the app at `/assets/site.css` (paths.ts): no CDN, no web fonts.
 * Kept in a module rather than a .css file so the bundled server (`npm run build`) carries it.
 * Colours meet WCAG AA contrast on their backgrounds (the browser tests run axe on every page).
 */
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1b1b1f; --muted: #4a4a55; --accent: #0b5cad; --line: #d8d8e0; --paper: #fdfdfb; }
* { box-sizing: border-box; }
html { font: 18px/1.6 Georgia, 'Times New Roman', serif; color: var(--ink); background: var(--paper); }
body { margin: 0 auto; max-width: 46rem; padding: 0 1rem 3rem; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f0a202; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
header.site { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; padding: 1rem 0; border-bottom: 1px solid var(--line); }
.brand { font-weight: bold; font-size: 1.4rem; text-decoration: none; color: var(--ink); }
form.search { display: flex; gap: .5rem; align-items: center; font-family: system-ui, sans-serif; font-size: .9rem; }
form.search input { font: inherit; padding: .25rem .5rem; border: 1px solid var(--muted); border-radius: 4px; }
form.search button { font: inherit; padding: .25rem .75rem; border: 0; border-radius: 4px; background: var(--accent); color: #fff; }
h1, h2, h3 { line-height: 1.25; font-family: system-ui, sans-serif; }
h3 { margin: 0 0 .25rem; font-size: 1.15rem; }
.byline, .stats, .pages, footer.site, .empty { color: var(--muted); font-family: system-ui, sans-serif; font-size: .85rem; }
ol.articles, ol.comments, ol.replies, ul.tags, ul.badges { list-style: none; padding: 0; }
li.card { border-bottom: 1px solid var(--line); padding: 1rem 0; }
li.card p { margin: .25rem 0; }
ul.tags { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; font-family: system-ui, sans-serif; font-size: .85rem; }
ul.tags a { text-decoration: none; background: #eef3fa; padding: .1rem .5rem; border-radius: 999px; }
.post .body img, .comment-body img { max-width: 100%; height: auto; }
.post .body pre { overflow-x: auto; background: #f2f2f4; padding: .75rem; }
.rewards { margin: 2rem 0; padding: 1rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.closing { font-style: italic; }
ol.replies { margin-left: 1.25rem; padding-left: .75rem; border-left: 2px solid var(--line); }
.comment { padding: .5rem 0; }
nav.pages { display: flex; gap: 1rem; margin: 1rem 0; }
footer.site { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 1rem; }
`;
