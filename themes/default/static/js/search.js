// The search page: Pagefind's search API, loaded from the site's pagefind/ folder, searches the index of the
// page's language (<html lang>). The index is in shards by date (pagefind/shards.json lists them, newest
// first): the newest with the page's language is Pagefind's primary index and the others are merged into it,
// so one search ranks the results of all. No inline script: the page's strings and paths come in data attributes.
// The rest of the site needs no JavaScript; without it this page keeps its form and a note.

const LIMIT = 20; // results shown
const QUESTIONS = 3; // questions shown under each result
const root = document.querySelector("[data-search]");
if (root) {
  // data-state tells styles and tests when the form is complete: "ready" once the filters are filled in.
  start(root).catch(() => {
    say(root, "failed");
    root.dataset.state = "failed";
  });
}

function say(root, key, values = {}) {
  root.querySelector(".search-page__status").textContent =
    root.dataset[key].replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
}

async function start(root) {
  const lang = document.documentElement.lang;
  const form = root.querySelector(".search-form");
  const input = form.elements.q;
  const selects = [...form.querySelectorAll("select[data-filter]")];
  const list = root.querySelector(".search-results");
  const bundle = new URL(root.dataset.bundle, location.href);
  const pagefind = await openShards(await import(bundle), bundle, root.dataset.base, lang);
  await fillFilters(pagefind, form, selects, lang);
  root.dataset.state = "ready";

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  for (const select of selects) {
    const wanted = params.get(select.name) ?? "";
    select.value = [...select.options].some((option) => option.value === wanted) ? wanted : "";
  }

  let latest = 0;
  async function run() {
    const ticket = ++latest;
    const query = input.value.trim();
    const filters = Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.dataset.filter, s.value]));
    keepInAddress(query, selects);
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      root.querySelector(".search-page__status").textContent = "";
      return;
    }
    say(root, "searching");
    const search = await pagefind.search(query || null, { filters });
    const found = await Promise.all(search.results.slice(0, LIMIT).map((result) => result.data()));
    if (ticket !== latest) return; // a newer search has started
    list.replaceChildren(...found.map(resultItem));
    const shown = query || Object.values(filters).join(", ");
    const count = new Intl.NumberFormat(lang).format(search.results.length);
    say(root, search.results.length ? "results" : "none", { query: shown, count });
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  for (const select of selects) select.addEventListener("change", run);
  await run();
}

// Only the shards that hold the page's language: Pagefind would search another language's index otherwise.
// With none (no explainer in this language yet), every search finds nothing.
async function openShards(pagefind, bundle, baseUrl, lang) {
  const response = await fetch(new URL("shards.json", bundle), { cache: "no-cache" });
  const { shards } = await response.json();
  const base = lang.toLowerCase().split("-")[0];
  const paths = shards
    .filter((shard) => shard.languages.some((l) => l.toLowerCase() === lang.toLowerCase() || l.split("-")[0] === base))
    .map((shard) => new URL(`${shard.path}/`, bundle).pathname);
  if (!paths.length) return { search: async () => ({ results: [] }), filters: async () => ({}) };
  await pagefind.options({ baseUrl, basePath: paths[0] });
  await Promise.all(paths.slice(1).map((path) => pagefind.mergeIndex(path, { language: lang })));
  return pagefind;
}

async function fillFilters(pagefind, form, selects, lang) {
  const available = await pagefind.filters();
  for (const select of selects) {
    const values = Object.keys(available[select.dataset.filter] ?? {}).sort((a, b) => a.localeCompare(b, lang));
    for (const value of values) select.add(new Option(value, value));
  }
  form.querySelector(".search-form__filters").hidden = !selects.some((s) => s.options.length > 1);
}

function keepInAddress(query, selects) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const select of selects) if (select.value) params.set(select.name, select.value);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

// Pagefind's excerpts are text with <mark> around the words found: rebuilt from text nodes, never as HTML.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body;
  const out = document.createDocumentFragment();
  for (const node of parsed.querySelector("p")?.childNodes ?? []) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(node.textContent);
    }
  }
  return out;
}

function element(tag, className, ...children) {
  const made = document.createElement(tag);
  made.className = className;
  made.append(...children);
  return made;
}

function link(href, text, className) {
  const made = element("a", className, text);
  made.href = href;
  return made;
}

function resultItem(data) {
  const item = element("li", "search-result");
  item.append(element("h2", "search-result__title", link(data.url, data.meta.title ?? data.url, "search-result__link")));
  if (data.meta.date) item.append(element("p", "search-result__date", data.meta.date));
  item.append(element("p", "search-result__excerpt", excerpt(data.excerpt)));
  const questions = (data.sub_results ?? []).filter((sub) => sub.anchor && sub.url !== data.url).slice(0, QUESTIONS);
  if (questions.length) {
    const nested = element("ul", "search-result__questions");
    for (const sub of questions) {
      nested.append(element("li", "search-result__question",
        link(sub.url, sub.title, "search-result__question-link"),
        element("span", "search-result__question-excerpt", excerpt(sub.excerpt))));
    }
    item.append(nested);
  }
  return item;
}
