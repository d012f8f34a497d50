// The web console's only script; every form works without it. It says that a push is being
// checked (the gate takes seconds) and keeps the button from sending the file twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.id !== "push-form") {
    return;
  }
  var busy = form.querySelector(".busy");
  if (busy) {
    busy.hidden = false;
  }
  var button = form.querySelector("button[type=submit]");
  if (button) {
    setTimeout(function () { button.disabled = true; }, 0);
  }
});
