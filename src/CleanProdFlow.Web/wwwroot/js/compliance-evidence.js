// The evidence page's print button (the page prints cleanly with the browser's own print too: see compliance.css).
(function () {
  'use strict';
  var button = document.getElementById('print-evidence');
  if (button) button.addEventListener('click', function () { window.print(); });
})();
