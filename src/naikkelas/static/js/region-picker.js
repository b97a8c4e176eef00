/* Region picker: turns the server-rendered selects into a live cascade and the search box into
   search-as-you-type. Without this file the same form works through its "Lanjut" and "Cari" buttons.
   Texts come from data-* attributes so they stay translated on the server. */
(function () {
  "use strict";

  var SEARCH_DELAY_MS = 250;
  var SEARCH_MIN_CHARS = 3;

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }
    );
  }

  function init(root) {
    var text = root.dataset;
    var selects = Array.prototype.slice.call(root.querySelectorAll("select[data-level]"));
    var query = root.querySelector("[data-region-q]");
    var matches = root.querySelector("[data-region-matches]");
    var chosen = root.querySelector("[data-region-chosen]");
    var foundName = text.name + "_found";
    var timer = null;
    var lastQuery = "";

    // The stylesheet gives buttons a display of their own, which beats the hidden attribute.
    function showSteps(shown) {
      Array.prototype.forEach.call(root.querySelectorAll("[data-step]"), function (button) {
        button.style.display = shown ? "" : "none";
      });
    }
    showSteps(false);

    function reset(select, placeholder) {
      select.length = 1;
      select.options[0].text = placeholder;
      select.value = "";
      select.disabled = true;
    }

    function clearFound() {
      Array.prototype.forEach.call(root.querySelectorAll("input[name='" + foundName + "']"), function (radio) {
        radio.checked = false;
      });
    }

    function showChosen(label) {
      if (chosen) { chosen.textContent = label; }
    }

    function load(select, parentCode) {
      reset(select, text.textLoading);
      getJSON(text.childrenUrl + "?induk=" + encodeURIComponent(parentCode)).then(function (data) {
        data.items.forEach(function (item) { select.add(new Option(item.name, item.code)); });
        select.options[0].text = text.textChoose;
        select.disabled = false;
      }).catch(function () {
        select.options[0].text = text.textFailed;
        showSteps(true);
      });
    }

    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        clearFound();
        for (var deeper = index + 1; deeper < selects.length; deeper++) { reset(selects[deeper], text.textWait); }
        var names = selects.slice(0, index + 1).filter(function (s) { return s.value; }).map(function (s) {
          return s.options[s.selectedIndex].text;
        });
        showChosen(names.length ? names.reverse().join(", ") : "");
        if (select.value && index + 1 < selects.length) { load(selects[index + 1], select.value); }
      });
    });

    function render(results) {
      matches.textContent = "";
      if (!results.length) {
        var none = document.createElement("p");
        none.className = "help";
        none.textContent = text.textNone;
        matches.appendChild(none);
        return;
      }
      var fieldset = document.createElement("fieldset");
      fieldset.className = "matches";
      var legend = document.createElement("legend");
      legend.textContent = text.textPick;
      fieldset.appendChild(legend);
      results.forEach(function (result) {
        var label = document.createElement("label");
        label.className = "choice";
        var radio = document.createElement("input");
        radio.type = "radio";
        radio.name = foundName;
        radio.value = result.code;
        radio.addEventListener("change", function () { showChosen(result.label); });
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" " + result.label));
        fieldset.appendChild(label);
      });
      matches.appendChild(fieldset);
    }

    function search() {
      var value = query.value.trim();
      if (value === lastQuery) { return; }
      lastQuery = value;
      if (value.length < SEARCH_MIN_CHARS) { matches.textContent = ""; return; }
      getJSON(text.searchUrl + "?q=" + encodeURIComponent(value)).then(function (data) {
        if (query.value.trim() === value) { render(data.results); }
      }).catch(function () { /* the Cari button still works */ });
    }

    if (query && matches) {
      query.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(search, SEARCH_DELAY_MS);
      });
      query.addEventListener("keydown", function (event) {
        // Enter searches here instead of submitting the whole form.
        if (event.key === "Enter") {
          event.preventDefault();
          clearTimeout(timer);
          search();
        }
      });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-region-picker]"), init);
})();
