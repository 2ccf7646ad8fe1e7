// The public notice page's print button (kept out of the HTML: no inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  var b = document.getElementById("print");
  if (b) { b.addEventListener("click", function () { window.print(); }); }
});
