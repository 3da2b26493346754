// The what-if panel of composite-index's HTML report: re-aggregates the data
// embedded in the page (the input of the aggregation step) with the weights and
// the mean chosen, exactly as the library does (Pipeline::run, aggregate/means.rs):
// for each aggregate, level by level, for each unit, over the children with a
// value and a positive weight, sum(w) and the mean's sum; a unit without such a
// child gets no score; a data threshold leaves an aggregate missing when too few
// children have a value. Ranks: descending scores, ties sharing the best rank.
(function () {
  "use strict";
  var root = document.getElementById("whatif");
  if (!root) return;
  var D = JSON.parse(document.getElementById("whatif-data").textContent);
  var nInd = D.nInd, nUnits = D.units.length;
  var base = Object.assign({}, D.weights);
  var weights = Object.assign({}, D.weights);
  var method = "spec";

  function num(v) { return v === null ? NaN : v; }
  var inputs = D.values.map(function (col) { return col.map(num); });

  function domain(name, unit, node, child, v, reason) {
    return "the " + name + " of node \"" + node + "\" cannot be computed: child \"" + child +
      "\" of unit \"" + unit + "\" is " + v + " (" + reason + ")";
  }

  // Returns {scores: Float64Array per column} or {error: message}.
  function compute() {
    for (var a = 0; a < D.nodes.length; a++) {
      var nd = D.nodes[a];
      if (nd.childCodes.every(function (c) { return !(weights[c] > 0); })) {
        return { error: "all the weights of the children of \"" + nd.code + "\" are zero" };
      }
    }
    var cols = new Array(D.columns.length);
    for (var j = 0; j < nInd; j++) cols[j] = inputs[j];
    for (var i = 0; i < D.nodes.length; i++) {
      var node = D.nodes[i];
      var m = method === "spec" ? node.method : method;
      var p = node.p;
      var w = node.childCodes.map(function (c) { return weights[c]; });
      var ch = node.children.map(function (c) { return cols[c]; });
      var out = new Float64Array(nUnits);
      for (var u = 0; u < nUnits; u++) {
        var sw = 0, acc = 0;
        for (var k = 0; k < ch.length; k++) {
          var v = ch[k][u], wk = w[k];
          if (!(v !== v) && wk > 0) {
            if (m === "arithmetic_mean") {
              sw += wk; acc += wk * v;
            } else if (m === "geometric_mean") {
              if (!(v > 0)) return { error: domain("geometric mean", D.units[u], node.code, node.childCodes[k], v, "the geometric mean needs positive values") };
              sw += wk; acc += wk * Math.log(v);
            } else if (m === "harmonic_mean") {
              if (v === 0) return { error: domain("harmonic mean", D.units[u], node.code, node.childCodes[k], v, "the harmonic mean needs non-zero values") };
              sw += wk; acc += wk / v;
            } else if (m === "generalised_mean") {
              if (v < 0) return { error: domain("generalised mean", D.units[u], node.code, node.childCodes[k], v, "the generalised mean needs non-negative values") };
              if (v === 0 && p < 0) return { error: domain("generalised mean", D.units[u], node.code, node.childCodes[k], v, "a negative order needs positive values") };
              sw += wk; acc += wk * Math.pow(v, p);
            }
          }
        }
        var r = NaN;
        if (sw > 0) {
          if (m === "arithmetic_mean") r = acc / sw;
          else if (m === "geometric_mean") r = Math.exp(acc / sw);
          else if (m === "harmonic_mean") r = sw / acc;
          else r = Math.pow(acc / sw, 1 / p);
        }
        if (node.datThresh !== null) {
          var kk = 0, present = 0;
          for (var q = 0; q < ch.length; q++) {
            if (w[q] > 0) { kk++; if (!(ch[q][u] !== ch[q][u])) present++; }
          }
          if (kk === 0 || present / kk < node.datThresh) r = NaN;
        }
        out[u] = r;
      }
      cols[node.col] = out;
    }
    return { scores: cols };
  }

  function ranks(s) {
    var r = new Array(s.length);
    for (var i = 0; i < s.length; i++) {
      if (s[i] !== s[i]) { r[i] = null; continue; }
      var above = 0;
      for (var j = 0; j < s.length; j++) if (s[j] > s[i]) above++;
      r[i] = above + 1;
    }
    return r;
  }

  var tbody = root.querySelector("tbody");
  var status = root.querySelector(".whatif-status");
  var indexCol = D.columns.indexOf(D.index);

  function fmt(v) { return v !== v ? "n/a" : v.toFixed(2); }

  function update() {
    var res = compute();
    tbody.textContent = "";
    if (res.error) {
      status.textContent = "No scores: " + res.error + ".";
      status.className = "whatif-status whatif-error";
      root.setAttribute("data-error", res.error);
      return;
    }
    root.removeAttribute("data-error");
    var s = res.scores[indexCol];
    var r = ranks(s);
    var order = [];
    for (var u = 0; u < nUnits; u++) order.push(u);
    order.sort(function (a, b) {
      var ra = r[a] === null ? Infinity : r[a], rb = r[b] === null ? Infinity : r[b];
      return ra - rb || (D.names[a] < D.names[b] ? -1 : D.names[a] > D.names[b] ? 1 : 0);
    });
    var moved = 0;
    order.forEach(function (u) {
      var tr = document.createElement("tr");
      var before = D.nominalRanks[u];
      var change = (r[u] === null || before === null) ? 0 : before - r[u];
      if (r[u] !== before) { moved++; tr.className = change > 0 ? "moved up" : change < 0 ? "moved down" : "moved"; }
      tr.setAttribute("data-unit", D.units[u]);
      tr.setAttribute("data-score", s[u] !== s[u] ? "" : String(s[u]));
      tr.setAttribute("data-rank", r[u] === null ? "" : String(r[u]));
      var cells = [
        r[u] === null ? "–" : String(r[u]),
        D.names[u],
        fmt(s[u]),
        before === null ? "–" : String(before),
        change > 0 ? "▲ " + change : change < 0 ? "▼ " + (-change) : ""
      ];
      cells.forEach(function (c, k) {
        var td = document.createElement("td");
        td.textContent = c;
        if (k !== 1) td.className = "num";
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    status.textContent = moved === 0 ? "No rank moved." : moved + " unit" + (moved === 1 ? "" : "s") + " changed rank.";
    status.className = "whatif-status";
  }

  var sliders = root.querySelectorAll("input[type=range][data-node]");
  var boxes = root.querySelectorAll("input[type=number][data-node]");
  function box(code) { return root.querySelector("input[type=number][data-node=\"" + code + "\"]"); }
  function slider(code) { return root.querySelector("input[type=range][data-node=\"" + code + "\"]"); }
  Array.prototype.forEach.call(sliders, function (el) {
    el.addEventListener("input", function () {
      var v = parseFloat(el.value);
      weights[el.getAttribute("data-node")] = v;
      box(el.getAttribute("data-node")).value = el.value;
      update();
    });
  });
  Array.prototype.forEach.call(boxes, function (el) {
    el.addEventListener("input", function () {
      var v = parseFloat(el.value);
      if (!(v >= 0)) return;
      weights[el.getAttribute("data-node")] = v;
      slider(el.getAttribute("data-node")).value = el.value;
      update();
    });
  });
  var select = root.querySelector("select.whatif-method");
  select.addEventListener("change", function () { method = select.value; update(); });
  root.querySelector("button.whatif-reset").addEventListener("click", function () {
    weights = Object.assign({}, base);
    method = "spec";
    select.value = "spec";
    Array.prototype.forEach.call(sliders, function (el) {
      el.value = String(base[el.getAttribute("data-node")]);
      box(el.getAttribute("data-node")).value = el.value;
    });
    update();
  });
  update();
})();
