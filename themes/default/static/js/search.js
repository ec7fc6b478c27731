// The search page: Pagefind's search API, loaded from the site's pagefind/ folder, searches the index of the
// page's language (<html lang>). No inline script: the page's strings and paths come in data attributes.
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
  const pagefind = await import(root.dataset.bundle);
  await pagefind.options({ baseUrl: root.dataset.base });
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
