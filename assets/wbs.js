// Warn before leaving the report wizard with typed input that has not been saved by "Selanjutnya".
(function () {
  let typed = false;
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("[data-draft]")) typed = true;
  });
  document.addEventListener("submit", function () { typed = false; }, true);
  window.addEventListener("beforeunload", function (event) {
    if (typed && document.querySelector("[data-draft]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// Evidence uploads: check each chosen file against the limits the upload area carries (type, size per file,
// room left in the report) before anything is sent, and say at once which files were not sent and why.
// Files that pass go on to the upload as usual; the server checks everything again.
(function () {
  const checked = new WeakSet();

  function uploadArea(target) {
    return target && target.closest ? target.closest(".upload-area") : null;
  }

  function extensionOf(name) {
    const base = name.split(/[\\/]/).pop();
    return base.includes(".") ? base.slice(base.lastIndexOf(".") + 1).toLowerCase() : "";
  }

  function megabytes(bytes) {
    const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    return (bytes / 1048576).toLocaleString(locale, { maximumFractionDigits: 1 }) + " MB";
  }

  // A refusal of the upload area's catalogue texts (data-refuse-*, in the page's language), {names} filled in.
  function refusal(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function sortOut(area, files) {
    const limits = area.dataset;
    const allowed = limits.extensions.split(",");
    const accepted = [];
    const refusals = [];
    for (const file of files) {
      if (!allowed.includes(extensionOf(file.name))) {
        refusals.push(refusal(limits.refuseType, { name: file.name, allowed: allowed.join(", ") }));
      } else if (file.size > Number(limits.maxFileBytes)) {
        refusals.push(refusal(limits.refuseSize, { name: file.name, max: limits.maxFileMb, size: megabytes(file.size) }));
      } else {
        accepted.push(file);
      }
    }
    const total = accepted.reduce(function (sum, file) { return sum + file.size; }, 0);
    const room = Number(limits.roomBytes);
    if (accepted.length && total > room) {
      refusals.push(refusal(limits.refuseRoom, {
        names: accepted.map(function (file) { return file.name; }).join(", "),
        total: megabytes(total),
        room: megabytes(room),
        max: limits.maxReportMb,
      }));
      accepted.length = 0;
    }
    return { accepted: accepted, refusals: refusals };
  }

  function showRefusals(area, refusals) {
    const list = area.querySelector(".upload-local-refusal");
    if (!list) return;
    list.replaceChildren.apply(list, refusals.map(function (text) {
      const line = document.createElement("p");
      line.setAttribute("role", "alert");
      line.textContent = text;
      return line;
    }));
  }

  function fileList(files) {
    const transfer = new DataTransfer();
    files.forEach(function (file) { transfer.items.add(file); });
    return transfer;
  }

  // Capture phase on the document: runs before React (listening at its root) hands the files to the upload.
  document.addEventListener("change", function (event) {
    const input = event.target;
    const area = uploadArea(input);
    if (!area || input.type !== "file" || !input.files) return;
    const sorted = sortOut(area, Array.from(input.files));
    showRefusals(area, sorted.refusals);
    if (!sorted.refusals.length) return;
    if (sorted.accepted.length) {
      input.files = fileList(sorted.accepted).files;
    } else {
      event.stopImmediatePropagation();
      input.value = "";
    }
  }, true);

  document.addEventListener("drop", function (event) {
    const area = uploadArea(event.target);
    if (!area || checked.has(event) || !event.dataTransfer || !event.dataTransfer.files.length) return;
    const sorted = sortOut(area, Array.from(event.dataTransfer.files));
    showRefusals(area, sorted.refusals);
    if (!sorted.refusals.length) return;
    // A drop's files cannot be changed: stop it and drop again only the files that passed.
    event.preventDefault();
    event.stopImmediatePropagation();
    if (sorted.accepted.length) {
      const again = new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: fileList(sorted.accepted) });
      checked.add(again);
      event.target.dispatchEvent(again);
    }
  }, true);
})();

// Reflex creates the upload's hidden file input without a label of its own: give it the visible label's words,
// so a screen reader that reaches it knows what it is for.
(function () {
  function name(root) {
    root.querySelectorAll(".upload-box input[type=file]:not([aria-label])").forEach(function (input) {
      const box = input.closest(".upload-box");
      const text = box && box.querySelector(".rt-Text");
      // innerText: the words shown, in the page's language (components/text.py hides the other one).
      const english = document.documentElement.lang === "en";
      input.setAttribute("aria-label", (text && text.innerText.trim()) || (english ? "Choose a file" : "Pilih berkas"));
    });
  }
  new MutationObserver(function () { name(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();

// Focus where a keyboard or screen-reader user needs it (WCAG 2.4.3). Only DOM work, in this file: the
// Content-Security-Policy lets no event run code sent by the server.
(function () {
  // The skip link: focus <main> itself (tabindex=-1), not only scroll to it.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a.skip-link");
    const main = link && document.getElementById("konten");
    if (!main) return;
    event.preventDefault();
    main.focus();
    main.scrollIntoView();
  });

  // After a form is sent, the first field the server marked invalid (aria-invalid="true") takes focus.
  let sent = null;
  document.addEventListener("submit", function (event) {
    sent = { form: event.target, at: Date.now() };
  }, true);
  function focusFirstInvalid() {
    if (!sent || Date.now() - sent.at > 15000) return;
    const scope = sent.form.isConnected ? sent.form : document;
    const field = scope.querySelector('[aria-invalid="true"]');
    if (!field) return;
    sent = null;
    field.focus();
  }

  // The report wizard: when another step (or the confirmation) is shown after the user acted, its heading
  // takes focus, so the new step is announced and Tab goes on from there (not from <body>).
  let stepTitle = null;
  let acted = 0;
  ["click", "submit", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { acted = Date.now(); }, true);
  });
  function focusNewStep() {
    const heading = document.querySelector(".wizard-step h2");
    const title = heading ? heading.textContent : null;
    if (title === stepTitle) return;
    const first = stepTitle === null;
    stepTitle = title;
    if (!heading || first || Date.now() - acted > 15000) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  new MutationObserver(function () {
    focusNewStep();
    focusFirstInvalid();
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-invalid"],
  });
})();

// The language: the header's switch stores the choice in a cookie (a year, this site only) and reloads, so the
// server answers the page and its websocket in that language (wbs_app/language.py). Keeps <html lang> and the
// title in the chosen language when React renders the page head again (client-side navigation).
(function () {
  const COOKIE = "wbs_bahasa";

  function chosen() {
    const found = document.cookie.split(";").map(function (pair) { return pair.trim().split("="); })
      .filter(function (pair) { return pair[0] === COOKIE && (pair[1] === "id" || pair[1] === "en"); });
    return found.length ? found[found.length - 1][1] : "id";
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("[data-language]") : null;
    if (!button) return;
    const secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = COOKIE + "=" + button.dataset.language + "; path=/; max-age=31536000; samesite=lax" + secure;
    location.reload();
  });

  function keep() {
    const language = chosen();
    if (document.documentElement.lang !== language) document.documentElement.lang = language;
    const title = document.querySelector('meta[name="wbs-title-' + language + '"]');
    if (title && document.title !== title.content) document.title = title.content;
  }
  new MutationObserver(keep).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  new MutationObserver(keep).observe(document.head, { childList: true, subtree: true, characterData: true });
  keep();
})();
