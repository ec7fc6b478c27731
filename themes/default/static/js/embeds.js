// Embeds: each facade (blocks/embed.html) is a link to the original that asks nothing of the provider.
// With JavaScript it becomes a button; a click puts the provider's frame in its place and moves focus into it.
// Nothing is requested from the provider before that click.

const ALLOW = "autoplay; encrypted-media; fullscreen; picture-in-picture; clipboard-write";

for (const link of document.querySelectorAll("a.embed__facade[data-frame]")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.append(...link.childNodes);
  button.querySelector(".embed__action").textContent = link.dataset.load;
  button.addEventListener("click", () => load(button, link.dataset.frame, link.dataset.title), { once: true });
  link.replaceWith(button);
}

function load(button, src, title) {
  const frame = document.createElement("iframe");
  frame.className = "embed__iframe";
  frame.src = src;
  frame.title = title;
  frame.allow = ALLOW;
  frame.allowFullscreen = true;
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  button.closest(".embed").dataset.state = "loaded";
  button.replaceWith(frame);
  frame.focus();
}
