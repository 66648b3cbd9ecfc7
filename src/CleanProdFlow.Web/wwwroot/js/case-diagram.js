// The case page's diagram: the definition version the case runs on, drawn by the bpmn-js viewer (NavigatedViewer:
// pan and zoom, no editing), with done, active and overdue steps marked. The page lists the same states as text, so
// the diagram is an addition for those who can see it. The bpmn.io watermark stays (its licence requires it).
(function () {
  'use strict';
  var container = document.getElementById('diagram');
  if (!container || typeof window.BpmnJS !== 'function') {
    return;
  }
  var markers = JSON.parse(container.dataset.markers || '{}');

  function fail(text) {
    container.classList.add('diagram-failed');
    var message = document.createElement('p');
    message.className = 'error';
    message.textContent = text;
    container.appendChild(message);
  }

  var viewer = new window.BpmnJS({ container: container });
  fetch(container.dataset.xmlUrl, { credentials: 'same-origin', headers: { Accept: 'application/xml' } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.text();
    })
    .then(function (xml) {
      return viewer.importXML(xml);
    })
    .then(function () {
      var canvas = viewer.get('canvas');
      var registry = viewer.get('elementRegistry');
      if (registry.getAll().length <= 1) {
        // A definition written without BPMN DI has nothing to draw.
        fail(container.dataset.noLayout);
        return;
      }
      function mark(ids, cssClass) {
        (ids || []).forEach(function (id) {
          if (registry.get(id)) {
            canvas.addMarker(id, cssClass);
          }
        });
      }
      mark(markers.flows, 'cpf-taken');
      mark(markers.completed, 'cpf-completed');
      mark(markers.active, 'cpf-active');
      mark(markers.overdue, 'cpf-overdue');
      canvas.zoom('fit-viewport', 'auto');
      container.dataset.ready = 'true';
    })
    .catch(function (error) {
      var noLayout = error && /no diagram to display/i.test(String(error.message));
      fail(noLayout ? container.dataset.noLayout : container.dataset.failed);
    });
})();
