// The definition editor: the bpmn-js Modeler on a stored version (or on the XML the server just refused), a small
// properties panel for the name and the cpf: attributes the engine reads, "save as a new draft" (the page's form
// posts the modeler's XML; the server validates it exactly as the upload API) and the server's problems marked on
// their elements. cpf: attributes survive because bpmn-js keeps attributes of a declared foreign namespace ($attrs).
// The bpmn.io watermark stays (its licence requires it).
(function () {
  'use strict';
  var container = document.getElementById('modeler');
  if (!container || typeof window.BpmnJS !== 'function') {
    return;
  }
  var text = container.dataset;
  var problems = JSON.parse(text.problems || '[]');
  var submitted = document.getElementById('submitted-xml');
  var saveForm = document.getElementById('save-form');
  var saveXml = document.getElementById('save-xml');
  var saveButton = document.getElementById('save-button');
  var state = document.getElementById('modeler-state');
  var panel = document.getElementById('properties');
  var panelBody = document.getElementById('properties-body');
  var labels = panel.dataset;
  var CPF = 'https://cleanprodflow.example/schema/1.0';

  var modeler = new window.BpmnJS({ container: container });
  window.cpfModeler = modeler; // for the UI tests, which drive the modeling API as a person drives the mouse
  var dirty = !!submitted; // a refused edit is still unsaved
  var saving = false;

  function show(message, isError) {
    if (isError) {
      container.classList.add('modeler-failed'); // the empty canvas and its palette give way to the message
    }
    var p = document.createElement('p');
    p.className = isError ? 'error modeler-message' : 'muted modeler-message';
    p.textContent = message;
    container.appendChild(p);
  }

  function setState() {
    state.textContent = dirty ? text.textDirty : text.textClean;
    state.classList.toggle('dirty', dirty);
  }

  function load() {
    if (submitted) {
      return Promise.resolve(submitted.value);
    }
    return fetch(text.xmlUrl, { credentials: 'same-origin', headers: { Accept: 'application/xml' } }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.text();
    });
  }

  load()
    .then(function (xml) {
      return modeler.importXML(xml);
    })
    .then(function () {
      var registry = modeler.get('elementRegistry');
      if (registry.getAll().length <= 1) {
        show(text.textNoLayout, true);
        container.dataset.ready = 'failed';
        return;
      }
      fit();
      ensureCpfNamespace();
      markProblems();
      wirePanel();
      modeler.on('commandStack.changed', function () {
        dirty = true;
        setState();
      });
      setState();
      saveButton.disabled = false;
      container.dataset.ready = 'true';
    })
    .catch(function (error) {
      var noLayout = error && /no diagram to display/i.test(String(error.message));
      show(noLayout ? text.textNoLayout : text.textFailed, true);
      container.dataset.ready = 'failed';
    });

  // The whole diagram in view, at most at 100 %, clear of the palette on the left (fit-viewport would put it under it).
  function fit() {
    var canvas = modeler.get('canvas');
    var box = canvas.viewbox();
    var inner = box.inner;
    var outer = box.outer;
    var left = 110;
    var margin = 24;
    var scale = Math.min(1, (outer.width - left - margin) / Math.max(inner.width, 1), (outer.height - 2 * margin) / Math.max(inner.height, 1));
    canvas.viewbox({
      x: inner.x - left / scale,
      y: inner.y - (outer.height / scale - inner.height) / 2,
      width: outer.width / scale,
      height: outer.height / scale,
    });
  }

  // A file without xmlns:cpf would write new cpf: attributes under an undeclared prefix; declare it once.
  function ensureCpfNamespace() {
    var definitions = modeler.getDefinitions();
    if (definitions && definitions.$attrs && !definitions.$attrs['xmlns:cpf']) {
      definitions.$attrs['xmlns:cpf'] = CPF;
    }
  }

  // ------------------------------------------------------------------ problems from the server

  function markProblems() {
    if (problems.length === 0) {
      return;
    }
    var canvas = modeler.get('canvas');
    var registry = modeler.get('elementRegistry');
    var overlays = modeler.get('overlays');
    var root = canvas.getRootElement();
    var byElement = {};
    problems.forEach(function (problem) {
      (byElement[problem.elementId] = byElement[problem.elementId] || []).push(problem.message);
    });
    Object.keys(byElement).forEach(function (id) {
      var element = id ? registry.get(id) : null;
      var items = document.querySelectorAll('#problem-list li[data-element-id="' + cssEscape(id) + '"]');
      if (!element || element === root || element.type === 'label') {
        // The whole file, the process itself, or an element without a shape: only the list says it.
        items.forEach(function (item) {
          item.classList.add('general');
          if (id && !element) {
            var note = document.createElement('span');
            note.className = 'muted';
            note.textContent = ' ' + text.textNotOnDiagram;
            item.appendChild(note);
          }
        });
        return;
      }
      canvas.addMarker(element, 'cpf-invalid');
      var badge = document.createElement('div');
      badge.className = 'cpf-problem-badge';
      badge.textContent = String(byElement[id].length);
      badge.title = byElement[id].join('\n');
      badge.setAttribute('data-element-id', id);
      overlays.add(element, 'cpf-problem', { position: { top: -12, right: 12 }, html: badge });
    });
    document.querySelectorAll('.problem-target').forEach(function (button) {
      button.addEventListener('click', function () {
        var element = registry.get(button.dataset.elementId);
        if (element) {
          canvas.scrollToElement(element);
          modeler.get('selection').select(element);
          container.focus();
        }
      });
    });
    var refusal = document.getElementById('refusal');
    if (refusal) {
      refusal.focus();
    }
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/["\\]/g, '\\$&');
  }

  // ------------------------------------------------------------------ saving

  saveForm.addEventListener('submit', function (event) {
    event.preventDefault();
    if (saving) {
      return;
    }
    saving = true;
    saveButton.disabled = true;
    state.textContent = text.textSaving;
    modeler.saveXML({ format: true }).then(function (result) {
      saveXml.value = result.xml;
      dirty = false;
      saveForm.submit(); // a plain post: the server answers with the new draft or the page with the problems
    }).catch(function () {
      saving = false;
      saveButton.disabled = false;
      state.textContent = text.textFailed;
    });
  });

  window.addEventListener('beforeunload', function (event) {
    if (dirty && !saving) {
      event.preventDefault();
      event.returnValue = text.textLeave;
    }
  });

  // ------------------------------------------------------------------ properties panel

  // Which attributes each kind of element may carry (the engine's subset); where: on the element or its timer definition.
  function fieldsFor(element) {
    var bo = element.businessObject;
    var fields = [];
    var timer = eventDefinition(bo, 'bpmn:TimerEventDefinition');
    var message = eventDefinition(bo, 'bpmn:MessageEventDefinition');
    if (is(bo, 'bpmn:UserTask')) {
      fields.push(attr('cpf:candidateGroups', labels.textCandidateGroups, bo));
      fields.push(attr('cpf:outcomes', labels.textOutcomes, bo));
      fields.push(attr('cpf:timeLimit', labels.textTimeLimit, bo, 'cpf-time-limits'));
      fields.push(attr('cpf:clock', labels.textClock, bo));
      fields.push(attr('cpf:organisationVariable', labels.textOrganisationVariable, bo));
    } else if (is(bo, 'bpmn:ServiceTask')) {
      fields.push(attr('cpf:handler', labels.textHandler, bo, 'cpf-handlers'));
    } else if (timer && !is(bo, 'bpmn:StartEvent')) {
      fields.push(attr('cpf:timeLimit', labels.textTimeLimit, timer, 'cpf-time-limits'));
      fields.push(attr('cpf:clock', labels.textClock, timer));
      fields.push(attr('cpf:clockPoint', labels.textClockPoint, timer));
    } else if (message && !is(bo, 'bpmn:StartEvent')) {
      fields.push(attr('cpf:correlationKey', labels.textCorrelationKey, bo));
    } else if (is(bo, 'bpmn:SequenceFlow')) {
      fields.push({ name: 'condition', label: labels.textCondition, value: bo.conditionExpression ? bo.conditionExpression.body || '' : '', target: bo });
    }
    return fields;
  }

  function attr(name, label, target, list) {
    return { name: name, label: label, value: (target.$attrs && target.$attrs[name]) || '', target: target, list: list };
  }

  function is(bo, type) {
    return bo && typeof bo.$instanceOf === 'function' && bo.$instanceOf(type);
  }

  function eventDefinition(bo, type) {
    var definitions = bo.eventDefinitions || [];
    return definitions.length === 1 && is(definitions[0], type) ? definitions[0] : null;
  }

  var current = null;

  function wirePanel() {
    addDatalist('cpf-time-limits', panel.dataset.timeLimits);
    addDatalist('cpf-handlers', panel.dataset.handlers);
    modeler.on('selection.changed', function (event) {
      render(event.newSelection.length === 1 ? event.newSelection[0] : null);
    });
    modeler.on('elements.changed', function (event) {
      // Re-render after undo/redo or a label edit, but never under the user's cursor.
      if (current && event.elements.indexOf(current) >= 0 && !panel.contains(document.activeElement)) {
        render(current);
      }
    });
  }

  function addDatalist(id, values) {
    var list = document.createElement('datalist');
    list.id = id;
    (values || '').split(',').filter(Boolean).forEach(function (value) {
      var option = document.createElement('option');
      option.value = value;
      list.appendChild(option);
    });
    panel.appendChild(list);
  }

  function render(element) {
    current = element && element.type !== 'label' ? element : element && element.labelTarget;
    panelBody.textContent = '';
    if (!current || current === modeler.get('canvas').getRootElement()) {
      current = null;
      var none = document.createElement('p');
      none.className = 'muted';
      none.textContent = panel.dataset.textNone;
      panelBody.appendChild(none);
      return;
    }
    var bo = current.businessObject;
    var facts = document.createElement('dl');
    facts.className = 'facts';
    addFact(facts, panel.dataset.textId, bo.id);
    addFact(facts, panel.dataset.textType, bo.$type.replace(/^bpmn:/, ''));
    panelBody.appendChild(facts);

    panelBody.appendChild(input('name', panel.dataset.textName, bo.name || '', function (value) {
      modeler.get('modeling').updateProperties(current, { name: value || undefined });
    }));
    fieldsFor(current).forEach(function (field) {
      panelBody.appendChild(input(field.name, field.label, field.value, function (value) {
        var modeling = modeler.get('modeling');
        if (field.name === 'condition') {
          var expression = value ? modeler.get('moddle').create('bpmn:FormalExpression', { body: value }) : undefined;
          modeling.updateProperties(current, { conditionExpression: expression });
          return;
        }
        var change = {};
        change[field.name] = value || undefined;
        if (field.target === bo) {
          modeling.updateProperties(current, change);
        } else {
          modeling.updateModdleProperties(current, field.target, change);
        }
      }, field.list));
    });
    if (bo.extensionElements && bo.extensionElements.values && bo.extensionElements.values.length > 0) {
      var note = document.createElement('p');
      note.className = 'muted small';
      note.textContent = panel.dataset.textExtensions;
      panelBody.appendChild(note);
    }
    var messages = problems.filter(function (problem) { return problem.elementId === bo.id; });
    if (messages.length > 0) {
      var list = document.createElement('ul');
      list.className = 'problems problem-for-panel';
      messages.forEach(function (problem) {
        var item = document.createElement('li');
        item.textContent = problem.message;
        list.appendChild(item);
      });
      panelBody.appendChild(list);
    }
  }

  function addFact(list, term, value) {
    var dt = document.createElement('dt');
    dt.textContent = term;
    var dd = document.createElement('dd');
    dd.textContent = value;
    list.appendChild(dt);
    list.appendChild(dd);
  }

  var fieldCounter = 0;

  function input(name, label, value, apply, listId) {
    var id = 'prop-' + name.replace(/[^a-zA-Z0-9]/g, '-') + '-' + (++fieldCounter);
    var wrapper = document.createElement('div');
    wrapper.className = 'field';
    var labelElement = document.createElement('label');
    labelElement.htmlFor = id;
    labelElement.textContent = label;
    var box = document.createElement('input');
    box.id = id;
    box.name = name;
    box.value = value;
    box.spellcheck = false;
    box.dataset.property = name;
    if (listId) {
      box.setAttribute('list', listId);
    }
    // Applied when the value is committed (blur or Enter), one undoable command per edit.
    box.addEventListener('change', function () {
      var next = box.value.trim();
      if (next !== value) {
        value = next;
        apply(next);
      }
    });
    box.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        box.dispatchEvent(new Event('change'));
      }
    });
    wrapper.appendChild(labelElement);
    wrapper.appendChild(box);
    return wrapper;
  }
})();
