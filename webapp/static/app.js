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

// Uploads: files dropped on the box go into the form's file field; a reindex's progress is
// polled while it runs.
document.addEventListener("DOMContentLoaded", () => {
  const drop = document.getElementById("drop");
  const input = document.getElementById("upload-files");
  if (drop && input) {
    ["dragenter", "dragover"].forEach((kind) => drop.addEventListener(kind, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    }));
    ["dragleave", "drop"].forEach((kind) => drop.addEventListener(kind, () =>
      drop.classList.remove("over")));
    const chosen = document.getElementById("upload-chosen");
    const say = () => {
      chosen.textContent = [...input.files].map((file) => file.name).join(", ")
        + ` (${input.files.length} tệp)`;
    };
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      input.files = event.dataTransfer.files;
      say();
    });
    input.addEventListener("change", say);
  }
  const job = document.getElementById("job");
  if (job && job.dataset.running) {
    const text = document.getElementById("job-text");
    const bar = document.getElementById("job-progress");
    const poll = async () => {
      const state = await (await fetch(job.dataset.status)).json();
      if (state.running) {
        text.textContent = `Đang chạy: ${state.stage}… ${Math.round(state.progress * 100)}%`;
        bar.hidden = false;
        bar.value = state.progress;
        setTimeout(poll, 1000);
      } else {
        bar.hidden = true;
        const s = state.summary;
        text.textContent = state.error ? `Lỗi: ${state.error}` : `Xong: thêm ${s.added}, cập nhật ${s.updated}, gỡ ${s.removed}, bỏ qua ${s.skipped} tệp (${s.seconds} giây).`;
        const skipped = document.getElementById("job-skipped");
        skipped.replaceChildren(...state.skipped.map((item) => {
          const line = document.createElement("li");
          line.textContent = `${item.path}: ${item.reason}`;
          return line;
        }));
      }
    };
    poll();
  }
});

// A form whose button asks first (removing a document).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
