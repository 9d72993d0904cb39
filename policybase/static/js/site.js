// Progressive enhancement only: every page works without this file.
// [data-copy="#id"] copies the text of #id to the clipboard; [data-print] opens the print dialog.
document.addEventListener("click", function (event) {
  var copy = event.target.closest("[data-copy]");
  if (copy) {
    var source = document.querySelector(copy.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var status = document.getElementById(copy.getAttribute("aria-describedby") || "");
      if (status) status.textContent = "已复制";
    });
  }
  if (event.target.closest("[data-print]")) window.print();
});
