// Bring the cited paragraph into view when a citation link opens a document.
document.addEventListener("DOMContentLoaded", () => {
  const article = document.querySelector("article.document");
  if (!article || !article.dataset.cited) return;
  const cited = document.getElementById("p-" + article.dataset.cited);
  if (cited) cited.scrollIntoView({ block: "center" });
});
