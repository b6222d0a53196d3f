// The page works without this script; it only adds conveniences.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Bring the cited paragraph into view when a citation link opens a document.
  const article = document.querySelector("article.document");
  if (article && article.dataset.cited) {
    const cited = document.getElementById("p-" + article.dataset.cited);
    if (cited) cited.scrollIntoView({ block: "center" });
  }

  // On a phone the filters are folded behind one button at the top of the results.
  const toggle = document.querySelector(".filter-toggle");
  const facets = document.getElementById("facets");
  if (toggle && facets) {
    toggle.addEventListener("click", () => {
      const open = facets.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
      if (open) facets.querySelector("a, input, button")?.focus();
    });
  }

  // On a phone the answer panel can be folded to its title, to get to the results.
  const answerToggle = document.querySelector(".answer-toggle");
  const answerBody = document.getElementById("answer-body");
  if (answerToggle && answerBody) {
    answerToggle.addEventListener("click", () => {
      const folded = answerBody.classList.toggle("folded");
      answerToggle.setAttribute("aria-expanded", String(!folded));
      answerToggle.textContent = folded ? "Mở ra" : "Thu gọn";
    });
  }

  document.querySelectorAll("[data-print]").forEach((button) =>
    button.addEventListener("click", () => window.print()));

  // Say at once when a pasted text is over the limit, rather than cutting it.
  const box = document.querySelector("input[name=q][data-max]");
  const warning = document.getElementById("query-length");
  if (box && warning) {
    const check = () => {
      warning.hidden = box.value.trim().replace(/\s+/g, " ").length <= Number(box.dataset.max);
    };
    box.addEventListener("input", check);
    check();
  }
});
