// The team message form, enhanced: once a topic is chosen, only its readers are shown, only the
// members who will read it are offered as addressees, and the readers are repeated next to the
// button. Without this script every topic shows its readers and the server checks the choice.
(function () {
  "use strict";
  var form = document.querySelector("form[data-message-form]");
  if (!form) {
    return;
  }
  var summary = form.querySelector("[data-readers-summary]");

  function update() {
    var chosen = form.querySelector('input[name="category"]:checked');
    var code = chosen ? chosen.value : "";
    var text = "";
    form.querySelectorAll("[data-topic-readers]").forEach(function (readers) {
      readers.hidden = readers.getAttribute("data-topic-readers") !== code;
      if (!readers.hidden) {
        text = readers.textContent;
      }
    });
    form.querySelectorAll("[data-reads]").forEach(function (row) {
      var reads = row.getAttribute("data-reads").split(" ").indexOf(code) !== -1;
      row.hidden = code !== "" && !reads;
      var box = row.querySelector("input");
      if (row.hidden && box) {
        box.checked = false;
      }
    });
    if (summary) {
      summary.textContent = text;
      summary.hidden = text === "";
    }
  }

  form.querySelectorAll('input[name="category"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
