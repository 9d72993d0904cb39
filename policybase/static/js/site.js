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

// A GET form marked [data-omit-empty] leaves its empty fields out of the URL: they are disabled for the
// submission (a disabled field is not sent) and enabled again, so that going back shows the form as it was.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-omit-empty]")) return;
  var emptied = Array.prototype.filter.call(form.elements, function (field) {
    return field.name && !field.disabled && field.value === "" && field.type !== "submit";
  });
  emptied.forEach(function (field) { field.disabled = true; });
  setTimeout(function () {
    emptied.forEach(function (field) { field.disabled = false; });
  }, 0);
});
