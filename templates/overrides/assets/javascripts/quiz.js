/* Självtest på modulsidorna: rättas i webbläsaren, utan server. Fungerar med tangentbord
   (radioknappar och en vanlig knapp) och läser upp resultatet via role="status". */
(function () {
  "use strict";
  function setup(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var questions = form.querySelectorAll(".handbok-quiz__question");
      var right = 0, answered = 0;
      questions.forEach(function (q) {
        var correct = q.getAttribute("data-correct").split(",");
        var chosen = q.querySelector("input[type=radio]:checked");
        var feedback = q.querySelector(".handbok-quiz__feedback");
        var answer = q.querySelector(".handbok-quiz__answer");
        q.classList.remove("handbok-quiz__question--right", "handbok-quiz__question--wrong");
        feedback.hidden = false;
        if (!chosen) {
          feedback.textContent = "Inte besvarad.";
          return;
        }
        answered += 1;
        if (correct[Number(chosen.value)] === "1") {
          right += 1;
          q.classList.add("handbok-quiz__question--right");
          feedback.textContent = "Rätt.";
        } else {
          q.classList.add("handbok-quiz__question--wrong");
          feedback.textContent = "Inte rätt.";
        }
        answer.open = true;
      });
      var result = form.querySelector(".handbok-quiz__result");
      result.textContent = "Du svarade rätt på " + right + " av " + questions.length + " frågor" +
        (answered < questions.length ? " (" + (questions.length - answered) + " obesvarade)." : ".");
    });
  }
  function init() {
    document.querySelectorAll("form[data-quiz]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
