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
