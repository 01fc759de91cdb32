// Behaviour the templates ask for with data attributes, so that no page needs inline script
// (the Content-Security-Policy allows scripts from this site's static files only).
document.addEventListener("change", function (event) {
  var control = event.target;
  if (control.matches("select[data-autosubmit]") && control.form) {
    control.form.submit();
  } else if (control.matches("select[data-navigate]")) {
    window.location.href = control.value;
  }
});
