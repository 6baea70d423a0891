/* SPDX-License-Identifier: Apache-2.0 */
/*
 * graph.js - draws the console's link graph (alias <-> actor <-> wallet <->
 * domain) as SVG with a small deterministic force layout: nodes start on
 * a circle grouped by kind, then a bounded number of steps of pairwise
 * repulsion and edge springs; the result is scaled into the view box.
 * Labels are set with textContent only: they come from peers.
 * Exposes window.TxGraph.render(data, onPick) -> <svg> element.
 */
"use strict";
(function () {
	var SVG = "http://www.w3.org/2000/svg";
	var MAX_NODES = 200, MAX_EDGES = 1000, STEPS = 250;
	var W = 1000, H = 640;
	var KINDS = {
		"alias": "alias", "persona": "alias",
		"actor": "actor", "threat-actor": "actor",
		"intrusion-set": "actor",
		"wallet": "wallet", "cryptocurrency-wallet": "wallet",
		"domain": "domain", "domain-name": "domain",
		"email": "email", "email-addr": "email",
		"url": "url", "ipv4": "ip", "ipv4-addr": "ip",
		"ipv6": "ip", "ipv6-addr": "ip",
		"indicator": "indicator", "sighting": "sighting"
	};
	var COLOURS = {
		alias: "#8e5cc4", actor: "#d0342c", wallet: "#f08c00",
		domain: "#1f6fd1", email: "#129488", url: "#4a90b8",
		ip: "#6a7f2a", indicator: "#9aa3af", sighting: "#c9c9c9",
		other: "#d9dde3"
	};
	var ORDER = ["alias", "actor", "wallet", "domain", "email", "url",
	    "ip", "indicator", "sighting", "other"];

	/*
	 * The kind a node is drawn as: by its type; an indicator labelled
	 * "wallet 0x..", "domain ..." (as lookup labels them) stands for
	 * that value and is drawn as it.
	 */
	function kindOf(type, label) {
		var k = KINDS[String(type || "").toLowerCase()];
		var m = /^(wallet|domain|email|url|alias|ipv4|ipv6) /.exec(
		    String(label || ""));
		if (k === "indicator" && m)
			return KINDS[m[1]];
		return k ? k : "other";
	}

	/* The text by a node: an id alone is shortened. */
	function caption(nd) {
		var m = /^([a-z0-9-]+)--([0-9a-f]{8})/.exec(nd.label);
		return m ? m[1] + " " + m[2] : short(nd.label, 30);
	}

	function mk(name, attrs) {
		var e = document.createElementNS(SVG, name), k;
		for (k in attrs)
			if (Object.prototype.hasOwnProperty.call(attrs, k))
				e.setAttribute(k, String(attrs[k]));
		return e;
	}

	function short(s, n) {
		s = String(s);
		return s.length > n ? s.slice(0, n - 1) + "\u2026" : s;
	}

	/* Positions for nodes (array of {kind}) and edges ([i, j]). */
	function layout(nodes, edges) {
		var n = nodes.length, i, j, s, groups = {}, gi = 0, pos = [];
		var k = Math.sqrt((W * H) / Math.max(n, 1)) * 0.6;

		ORDER.forEach(function (o) { groups[o] = 0; });
		nodes.forEach(function (nd) { groups[nd.kind]++; });
		var start = {}, acc = 0;
		ORDER.forEach(function (o) { start[o] = acc; acc += groups[o]; });
		var seen = {};
		ORDER.forEach(function (o) { seen[o] = 0; });
		for (i = 0; i < n; i++) {
			gi = start[nodes[i].kind] + seen[nodes[i].kind]++;
			var a = 2 * Math.PI * gi / Math.max(n, 1);
			pos.push({ x: W / 2 + (W / 3) * Math.cos(a),
			    y: H / 2 + (H / 3) * Math.sin(a), dx: 0, dy: 0 });
		}
		var t = W / 10;
		for (s = 0; s < STEPS; s++) {
			for (i = 0; i < n; i++) { pos[i].dx = 0; pos[i].dy = 0; }
			for (i = 0; i < n; i++) {
				for (j = i + 1; j < n; j++) {
					var dx = pos[i].x - pos[j].x;
					var dy = pos[i].y - pos[j].y;
					var d2 = dx * dx + dy * dy + 0.01;
					var f = (k * k) / d2;
					pos[i].dx += dx * f; pos[i].dy += dy * f;
					pos[j].dx -= dx * f; pos[j].dy -= dy * f;
				}
			}
			edges.forEach(function (e) {
				var a = pos[e[0]], b = pos[e[1]];
				var dx = a.x - b.x, dy = a.y - b.y;
				var d = Math.sqrt(dx * dx + dy * dy) + 0.01;
				var f = d / k;
				a.dx -= dx * f; a.dy -= dy * f;
				b.dx += dx * f; b.dy += dy * f;
			});
			for (i = 0; i < n; i++) {
				/* a weak pull to the centre keeps parts together */
				pos[i].dx += (W / 2 - pos[i].x) * 0.02;
				pos[i].dy += (H / 2 - pos[i].y) * 0.02;
				var m = Math.sqrt(pos[i].dx * pos[i].dx +
				    pos[i].dy * pos[i].dy) + 0.01;
				var lim = Math.min(m, t);
				pos[i].x += pos[i].dx / m * lim;
				pos[i].y += pos[i].dy / m * lim;
			}
			t *= 0.985;
		}
		/* fit into the box with a margin */
		var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
		pos.forEach(function (p) {
			x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x);
			y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
		});
		/* labels go to the right of their node: room for them */
		var sx = (W - 260) / Math.max(x1 - x0, 1);
		var sy = (H - 60) / Math.max(y1 - y0, 1);
		pos.forEach(function (p) {
			p.x = n === 1 ? W / 2 : 40 + (p.x - x0) * sx;
			p.y = n === 1 ? H / 2 : 30 + (p.y - y0) * sy;
		});
		return pos;
	}

	/*
	 * render(data, onPick): data is {nodes: [{id, type, label, tlp?}],
	 * edges: [{source, target, relationship}]}; onPick(node) is called
	 * when a node is clicked or chosen with Enter/Space. Edges naming an
	 * unknown node are dropped; at most 200 nodes and 1000 edges drawn.
	 */
	function render(data, onPick) {
		var nodes = [], index = {}, edges = [], raw = [];
		(Array.isArray(data.nodes) ? data.nodes : []).slice(0, MAX_NODES)
		    .forEach(function (nd) {
			if (!nd || typeof nd.id !== "string" ||
			    Object.prototype.hasOwnProperty.call(index, nd.id))
				return;
			index[nd.id] = nodes.length;
			nodes.push({ id: nd.id, type: String(nd.type || ""),
			    kind: kindOf(nd.type, nd.label),
			    label: String(nd.label == null ? nd.id : nd.label),
			    tlp: nd.tlp == null ? "" : String(nd.tlp) });
		});
		(Array.isArray(data.edges) ? data.edges : []).slice(0, MAX_EDGES)
		    .forEach(function (e) {
			if (!e || !Object.prototype.hasOwnProperty.call(index,
			    e.source) || !Object.prototype.hasOwnProperty.call(
			    index, e.target))
				return;
			edges.push([index[e.source], index[e.target]]);
			raw.push(e);
		});
		var pos = layout(nodes, edges);
		var svg = mk("svg", { "class": "graph", viewBox: "0 0 " + W +
		    " " + H, role: "group", "aria-label": "link graph" });
		var ge = mk("g", { "class": "edges" });
		edges.forEach(function (e, i) {
			var a = pos[e[0]], b = pos[e[1]];
			var ln = mk("line", { x1: a.x.toFixed(1),
			    y1: a.y.toFixed(1), x2: b.x.toFixed(1),
			    y2: b.y.toFixed(1) });
			ln.setAttribute("data-source", nodes[e[0]].id);
			ln.setAttribute("data-target", nodes[e[1]].id);
			ln.setAttribute("data-relationship",
			    String(raw[i].relationship || ""));
			var tt = mk("title", {});
			tt.textContent = nodes[e[0]].label + " \u2014 " +
			    String(raw[i].relationship || "") + " \u2192 " +
			    nodes[e[1]].label;
			ln.appendChild(tt);
			ge.appendChild(ln);
			if (edges.length <= 40) {
				var lt = mk("text", { "class": "edge",
				    x: ((a.x + b.x) / 2).toFixed(1),
				    y: ((a.y + b.y) / 2).toFixed(1),
				    "text-anchor": "middle" });
				lt.textContent = short(raw[i].relationship || "",
				    20);
				ge.appendChild(lt);
			}
		});
		svg.appendChild(ge);
		var gn = mk("g", { "class": "nodes" });
		nodes.forEach(function (nd, i) {
			var g = mk("g", { "class": "node kind-" + nd.kind,
			    tabindex: 0, role: "button",
			    transform: "translate(" + pos[i].x.toFixed(1) + "," +
			    pos[i].y.toFixed(1) + ")" });
			g.setAttribute("data-id", nd.id);
			g.setAttribute("data-type", nd.type);
			g.setAttribute("data-kind", nd.kind);
			g.setAttribute("data-label", nd.label);
			g.setAttribute("aria-label", nd.kind + " " + nd.label +
			    (nd.tlp ? " TLP " + nd.tlp : ""));
			var r = nd.kind === "actor" ? 11 : 8;
			g.appendChild(mk("circle", { r: r,
			    fill: COLOURS[nd.kind] }));
			var tt = mk("title", {});
			tt.textContent = nd.type + ": " + nd.label +
			    (nd.tlp ? " (TLP:" + nd.tlp.toUpperCase() + ")" : "");
			g.appendChild(tt);
			var lt = mk("text", { x: r + 3, y: 4 });
			lt.textContent = caption(nd);
			g.appendChild(lt);
			var pick = function () { if (onPick) onPick(nd); };
			g.addEventListener("click", pick);
			g.addEventListener("keydown", function (ev) {
				if (ev.key === "Enter" || ev.key === " ") {
					ev.preventDefault();
					pick();
				}
			});
			gn.appendChild(g);
		});
		svg.appendChild(gn);
		return svg;
	}

	function legend() {
		var d = document.createElement("p");
		d.className = "legend";
		ORDER.forEach(function (o) {
			var s = document.createElement("span");
			var i = document.createElement("i");
			i.style.background = COLOURS[o];
			s.appendChild(i);
			s.appendChild(document.createTextNode(o));
			d.appendChild(s);
		});
		return d;
	}

	window.TxGraph = { render: render, legend: legend, kindOf: kindOf };
}());
