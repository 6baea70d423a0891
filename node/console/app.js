/* SPDX-License-Identifier: Apache-2.0 */
/*
 * app.js - the threatex web console: login (a one-time #login=TOKEN link
 * or the operator password), then hash routes drawn from the node's JSON
 * API (docs/operator.md "Web console"):
 *   #/lookup?q=V     the consolidated view of a value (GET /api/lookup)
 *   #/graph?q=V      its linked objects as a graph (GET /api/graph)
 *   #/status         federation status: peers, feeds, subscribers
 *   #/audit          the audit log and its verification state
 *   #/indicator      add, update and revoke an indicator (POST, CSRF)
 * Every string from the API is data, possibly hostile (peers write it):
 * it only ever reaches the page through textContent or attribute values,
 * never innerHTML. The page marks its state for tests and assistive
 * tools: main#view has data-page=NAME and data-state=loading|ready|error.
 */
"use strict";
(function () {
	var session = null;
	var view = null;
	var seq = 0;	/* the route drawn last: stale answers are dropped */

	/* el(tag, attrs, children...): an element; strings become text. */
	function el(tag, attrs) {
		var e = document.createElement(tag), k, i, c;
		if (attrs)
			for (k in attrs) {
				if (!Object.prototype.hasOwnProperty.call(attrs, k) ||
				    attrs[k] == null || attrs[k] === false)
					continue;
				if (k === "text")
					e.textContent = String(attrs[k]);
				else if (k === "class")
					e.className = attrs[k];
				else if (k.slice(0, 2) === "on" &&
				    typeof attrs[k] === "function")
					e.addEventListener(k.slice(2), attrs[k]);
				else
					e.setAttribute(k, attrs[k] === true ? "" :
					    String(attrs[k]));
			}
		for (i = 2; i < arguments.length; i++) {
			c = arguments[i];
			if (c == null || c === false)
				continue;
			if (Array.isArray(c))
				c.forEach(function (x) {
					if (x != null && x !== false)
						e.appendChild(typeof x === "object" ?
						    x : document.createTextNode(String(x)));
				});
			else
				e.appendChild(typeof c === "object" ? c :
				    document.createTextNode(String(c)));
		}
		return e;
	}

	function clear(e) {
		while (e.firstChild)
			e.removeChild(e.firstChild);
	}

	function str(v) {
		return v == null ? "" : String(v);
	}

	/* api(method, path, body) -> Promise of {status, data}. */
	function api(method, path, body) {
		var h = { "Accept": "application/json" };
		var opt = { method: method, credentials: "same-origin",
		    cache: "no-store", headers: h };
		if (body !== undefined) {
			h["Content-Type"] = "application/json";
			opt.body = JSON.stringify(body);
		}
		if (method !== "GET" && session && session.csrf)
			h["X-Threatex-CSRF"] = session.csrf;
		return fetch(path, opt).then(function (r) {
			return r.text().then(function (t) {
				var d = null;
				try {
					d = t ? JSON.parse(t) : null;
				} catch (e) {
					d = { error: "not JSON (HTTP " + r.status +
					    ")" };
				}
				return { status: r.status, data: d };
			});
		}, function (e) {
			return { status: 0, data: { error: "no answer from the " +
			    "node: " + str(e && e.message) } };
		});
	}

	function errText(r) {
		var m = r.data && typeof r.data.error === "string" ?
		    r.data.error : "";
		return (r.status ? "HTTP " + r.status : "network") +
		    (m ? ": " + m : "");
	}

	function page(name, title) {
		clear(view);
		view.setAttribute("data-page", name);
		view.setAttribute("data-state", "loading");
		document.title = title + " \u2014 threatex";
		Array.prototype.forEach.call(
		    document.querySelectorAll("#nav a"), function (a) {
			if (a.getAttribute("data-route") === name)
				a.setAttribute("aria-current", "page");
			else
				a.removeAttribute("aria-current");
		});
		view.appendChild(el("h2", { text: title }));
	}

	function state(s) {
		view.setAttribute("data-state", s);
	}

	function failed(where, r) {
		if (r.status === 401) {
			showLogin("Your session has ended: log in again.");
			return;
		}
		where.appendChild(el("p", { "class": "error", role: "alert",
		    id: "error", text: errText(r) }));
		state("error");
	}

	/* A TLP badge with the TLP 2.0 colours; unknown says so. */
	function tlpBadge(t) {
		var v = str(t).toLowerCase();
		if (!/^(clear|white|green|amber|amber\+strict|red)$/.test(v))
			v = "unknown";
		if (v === "white")
			v = "clear";
		return el("span", { "class": "tlp tlp-" +
		    v.replace("+", "-"), "data-tlp": v,
		    text: "TLP:" + v.toUpperCase() });
	}

	function conf(c) {
		return typeof c === "number" && c >= 0 ? String(c) :
		    "none given";
	}

	function kv(pairs) {
		var dl = el("dl", { "class": "kv" });
		pairs.forEach(function (p) {
			if (p == null)
				return;
			dl.appendChild(el("dt", { text: p[0] }));
			dl.appendChild(el("dd", p[2] || null, p[1]));
		});
		return dl;
	}

	function go(route, q) {
		location.hash = "#/" + route + (q != null && q !== "" ?
		    "?q=" + encodeURIComponent(q) : "");
	}

	function lookupLink(v, text) {
		return el("a", { "class": "lookup", href: "#/lookup?q=" +
		    encodeURIComponent(v), text: text == null ? v : text });
	}

	function graphLink(v) {
		return el("a", { "class": "lookup", href: "#/graph?q=" +
		    encodeURIComponent(v), text: "graph" });
	}

	/* What to look up for a linked object's label ("wallet 0x.."). */
	function valueOfLabel(l) {
		var m = /^(wallet|domain|email|url|ipv4|ipv6|alias) (.+)$/.exec(
		    str(l));
		return m ? m[2] : str(l);
	}

	function searchForm(route, q, extra, nav) {
		var inp = el("input", { type: "search", id: "q", name: "q",
		    value: q, "aria-label": "value to look up",
		    placeholder: "wallet, domain, e-mail, URL, IP or alias",
		    autocomplete: "off", spellcheck: "false", required: true });
		var f = el("form", { "class": "inline", id: route + "-form",
		    role: "search" },
		    el("label", { "for": "q", text: "Value" }), inp, extra,
		    el("button", { type: "submit", text: route === "graph" ?
		    "Draw" : "Look up" }));
		f.addEventListener("submit", function (ev) {
			ev.preventDefault();
			var v = inp.value.trim();
			if (v && nav)
				nav(v);
			else if (v)
				go(route, v);
		});
		return f;
	}

	/* --- lookup ---------------------------------------------------- */

	var SDO_TYPES = ["indicator", "threat-actor", "intrusion-set",
	    "malware", "campaign", "tool", "attack-pattern", "infrastructure",
	    "identity", "sighting", "report", "note", "opinion",
	    "observed-data", "vulnerability", "grouping", "course-of-action",
	    "location", "malware-analysis"];

	function corroboration(h) {
		var s = h.sightings || {}, parts = [];
		if (h.countersigned)
			parts.push("counter-signed by " + h.countersigned);
		if (s.objects > 0)
			parts.push(s.objects + " sighting" +
			    (s.objects === 1 ? "" : "s") + " (count " +
			    str(s.count) + ") by " +
			    (Array.isArray(s.sighters) ? s.sighters.join(", ") :
			    ""));
		return parts.length ? parts.join("; ") : "none";
	}

	function verdictTable(vs) {
		if (!Array.isArray(vs) || vs.length === 0)
			return el("span", { "class": "muted", text: "none" });
		return el("table", { "class": "verdicts" },
		    el("thead", null, el("tr", null, el("th", { text: "role" }),
		    el("th", { text: "signer" }), el("th", { text: "result" }),
		    el("th", { text: "key" }), el("th", { text: "reason" }))),
		    el("tbody", null, vs.map(function (v) {
			return el("tr", null, el("td", { text: str(v.role) }),
			    el("td", { text: str(v.signer) }),
			    el("td", { "class": v.ok ? "ok" : "fail",
			    text: v.ok ? "verified" : "FAILED" }),
			    el("td", { "class": "mono", text: str(v.kid) }),
			    el("td", { text: str(v.reason) }));
		    })));
	}

	function linkedList(ls) {
		if (!Array.isArray(ls) || ls.length === 0)
			return el("span", { "class": "muted", text: "none" });
		return el("ul", { "class": "plain linked" }, ls.map(function (l) {
			var v = valueOfLabel(l.label);
			return el("li", null, (l.direction === "in" ? "\u2190 " :
			    "\u2192 ") + str(l.relationship) + " ",
			    lookupLink(v, str(l.label)), " ",
			    el("span", { "class": "muted", text: "(" +
			    str(l.id).split("--")[0] + ", by " + str(l.by) +
			    ")" }));
		}));
	}

	function hitCard(h) {
		var flags = [];
		if (h.revoked)
			flags.push(el("span", { "class": "flag revoked",
			    text: "REVOKED" }));
		if (h.expired)
			flags.push(el("span", { "class": "flag expired",
			    text: "EXPIRED" }));
		if (h.equivocated)
			flags.push(el("span", { "class": "flag revoked",
			    text: "EQUIVOCATED" }));
		return el("section", { "class": "card hit", "data-id": str(h.id),
		    "data-type": str(h.type),
		    "data-revoked": h.revoked ? "true" : "false" },
		    el("h3", null, str(h.type) + " ", tlpBadge(h.tlp), flags),
		    kv([["id", str(h.id), { "class": "mono" }],
		    ["match", str(h.match)],
		    ["origin", str(h.origin), { "class": "origin" }],
		    ["signatures", verdictTable(h.verdicts)],
		    ["confidence", conf(h.confidence)],
		    ["corroboration", corroboration(h),
		    { "class": "corroboration" }],
		    ["valid until", h.valid_until == null ? "no expiry" :
		    str(h.valid_until) + (h.expired ? " (expired)" : "")],
		    ["revocation", h.revoked ? "revoked by its origin" :
		    "not revoked", { "class": "revocation" }],
		    ["received", h.received == null ? null :
		    str(h.received) + (h.via ? " via " + str(h.via) : "")],
		    ["linked", linkedList(h.linked)]]));
	}

	function drawView(box, d) {
		var hits = Array.isArray(d.hits) ? d.hits : [];
		var sdos = hits.filter(function (h) {
			return SDO_TYPES.indexOf(str(h.type)) >= 0;
		});
		var standing = sdos.filter(function (h) {
			return !h.revoked && !h.expired;
		});
		/* as `lookup --summary`: withdrawn when every SDO naming it
		 * is revoked or expired */
		var verdict = !d.known ? "unknown" :
		    (sdos.length > 0 && standing.length === 0 ? "withdrawn" :
		    "known");
		(d.related || []).forEach(function (r) {
			if (r.known && verdict !== "known")
				verdict = "known";
		});
		var head = el("div", { "class": "card", id: "summary" },
		    el("span", { "class": "verdict " + verdict, id: "verdict",
		    "data-verdict": verdict, text: verdict === "unknown" ?
		    "UNKNOWN \u2014 no node object names this value" :
		    verdict === "withdrawn" ? "WITHDRAWN \u2014 every " +
		    "indicator naming it is revoked or expired" : "KNOWN" }),
		    d.benign ? el("span", { "class": "flag benign",
		    id: "benign", text: "BENIGN LIST: " + str(d.benign) }) :
		    null,
		    kv([["value", str(d.value), { "class": "mono" }],
		    ["kind", str(d.kind)],
		    ["canonical", str(d.canonical), { "class": "mono" }],
		    ["hits", String(hits.length)]]),
		    el("p", null, graphLink(str(d.canonical || d.value)),
		    " of its linked objects"));
		box.appendChild(head);
		if (Array.isArray(d.actors) && d.actors.length) {
			box.appendChild(el("section", { "class": "card",
			    id: "actors" }, el("h3", { text: "Actors" }),
			    el("ul", { "class": "plain" },
			    d.actors.map(function (a) {
				return el("li", { "class": "actor" },
				    lookupLink(str(a.name)), " ",
				    el("span", { "class": "muted", text: "(" +
				    str(a.type) + "; linked by " +
				    (Array.isArray(a.origins) ?
				    a.origins.join(", ") : "") + ")" }));
			    })), d.actors_more > 0 ? el("p", {
			    "class": "muted", text: "and " + d.actors_more +
			    " more" }) : null));
		}
		(d.related || []).forEach(function (r) {
			box.appendChild(el("section", { "class": "card related" },
			    el("h3", null, "Related: " + str(r.kind) + " ",
			    lookupLink(str(r.canonical)), " (via " +
			    str(r.via) + ") \u2014 " + (r.known ? "known" :
			    "unknown")), r.benign ? el("span", {
			    "class": "flag benign", text: "BENIGN LIST: " +
			    str(r.benign) }) : null,
			    (r.hits || []).map(hitCard)));
		});
		var hb = el("div", { id: "hits" });
		hits.forEach(function (h) { hb.appendChild(hitCard(h)); });
		box.appendChild(hb);
	}

	function routeLookup(q, my) {
		page("lookup", "Lookup");
		view.appendChild(searchForm("lookup", q));
		if (!q) {
			view.appendChild(el("p", { "class": "muted", text:
			    "Enter a value: every origin's objects, their " +
			    "signatures, TLP, confidence and corroboration." }));
			state("ready");
			view.querySelector("#q").focus();
			return;
		}
		var box = el("div", { id: "result", "aria-live": "polite" });
		view.appendChild(box);
		api("GET", "/api/lookup?q=" + encodeURIComponent(q))
		    .then(function (r) {
			if (my !== seq)
				return;
			if (r.status !== 200 || !r.data)
				return failed(box, r);
			drawView(box, r.data);
			state("ready");
		});
	}

	/* --- graph ----------------------------------------------------- */

	function routeGraph(q, my, params) {
		page("graph", "Graph");
		var depth = /^[123]$/.test(params.depth || "") ?
		    params.depth : "2";
		var sel = el("select", { id: "depth", "aria-label": "depth" },
		    ["1", "2", "3"].map(function (x) {
			return el("option", { value: x, selected: x === depth,
			    text: "depth " + x });
		    }));
		var f = searchForm("graph", q, sel, function (v) {
			location.hash = "#/graph?q=" + encodeURIComponent(v) +
			    "&depth=" + sel.value;
		});
		view.appendChild(f);
		if (!q) {
			view.appendChild(el("p", { "class": "muted", text:
			    "Enter a value: the alias, actor, wallet and " +
			    "domain objects linked to it. Click a node (or " +
			    "Tab to it and press Enter) to look it up." }));
			state("ready");
			return;
		}
		var box = el("div", { id: "result" });
		view.appendChild(box);
		api("GET", "/api/graph?q=" + encodeURIComponent(q) +
		    "&depth=" + depth).then(function (r) {
			if (my !== seq)
				return;
			if (r.status !== 200 || !r.data)
				return failed(box, r);
			var d = r.data, nodes = d.nodes || [], edges = d.edges || [];
			box.appendChild(el("p", { id: "graph-count", text:
			    nodes.length + " objects, " + edges.length +
			    " links" + (nodes.length >= 200 ?
			    " (bounded at 200 objects)" : "") }));
			if (nodes.length === 0) {
				box.appendChild(el("p", { "class": "verdict unknown",
				    text: "UNKNOWN \u2014 nothing links to it" }));
				state("ready");
				return;
			}
			box.appendChild(window.TxGraph.legend());
			box.appendChild(window.TxGraph.render(d, function (n) {
				/* a bare STIX id is no value to look up */
				if (!/^[a-z0-9-]+--[0-9a-f-]{36}$/.test(n.label))
					go("lookup", valueOfLabel(n.label));
			}));
			/* the same as a table, for the keyboard and reading */
			var byId = {};
			nodes.forEach(function (n) { byId[n.id] = n; });
			box.appendChild(el("details", { id: "graph-table" },
			    el("summary", { text: "as a table" }),
			    el("table", null, el("thead", null, el("tr", null,
			    el("th", { text: "from" }),
			    el("th", { text: "relationship" }),
			    el("th", { text: "to" }))),
			    el("tbody", null, edges.slice(0, 1000).map(
			    function (e) {
				var a = byId[e.source], b = byId[e.target];
				return el("tr", null, el("td", { text: a ?
				    str(a.type) + " " + str(a.label) :
				    str(e.source) }),
				    el("td", { text: str(e.relationship) }),
				    el("td", { text: b ? str(b.type) + " " +
				    str(b.label) : str(e.target) }));
			    })))));
			state("ready");
		});
	}

	/* --- status ---------------------------------------------------- */

	/* A timestamp to read: to the second, "T" as a space. */
	function when(t) {
		var m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/
		    .exec(str(t));
		return m ? m[1] + " " + m[2] + "Z" : str(t);
	}

	/* up, down, backoff or never (synced), from a peer's fields. */
	function peerState(p) {
		var b = p.backoff || {};
		if (p.identity_only)
			return "identity-only";
		if (p.last_failure && (!p.last_success ||
		    str(p.last_failure) > str(p.last_success)))
			return "down";
		if (b.active)
			return "backoff";
		if (!p.last_success)
			return "never";
		return "up";
	}

	function lag(s) {
		if (typeof s !== "number" || s < 0)
			return "\u2014";
		if (s < 120)
			return s + " s";
		if (s < 7200)
			return Math.round(s / 60) + " min";
		return Math.round(s / 3600) + " h";
	}

	function table(id, cols, rows, rowAttrs) {
		return el("table", { id: id }, el("thead", null, el("tr", null,
		    cols.map(function (c) { return el("th", { text: c[0] }); }))),
		    el("tbody", null, rows.map(function (r) {
			return el("tr", rowAttrs ? rowAttrs(r) : null,
			    cols.map(function (c) {
				var v = c[1](r);
				return el("td", null, v);
			    }));
		    })));
	}

	function genericTable(id, rows, first) {
		var keys = [];
		first.forEach(function (k) {
			if (rows.some(function (r) { return k in r; }))
				keys.push(k);
		});
		rows.forEach(function (r) {
			Object.keys(r).forEach(function (k) {
				if (keys.indexOf(k) < 0 && keys.length < 14)
					keys.push(k);
			});
		});
		return table(id, keys.map(function (k) {
			return [k.replace(/_/g, " "), function (r) {
				var v = r[k];
				if (k === "max_tlp" || k === "tlp")
					return tlpBadge(v);
				if (v == null)
					return "\u2014";
				if (typeof v === "object")
					return JSON.stringify(v);
				return String(v);
			}];
		}), rows, function (r) {
			return { "data-name": str(r.name) };
		});
	}

	function routeStatus(q, my) {
		page("status", "Federation status");
		api("GET", "/api/status").then(function (r) {
			if (my !== seq)
				return;
			if (r.status !== 200 || !r.data)
				return failed(view, r);
			var d = r.data, n = d.node || {}, s = d.store || {};
			var peers = Array.isArray(d.peers) ? d.peers : [];
			var down = peers.filter(function (p) {
				return peerState(p) === "down";
			}).length;
			view.appendChild(el("section", { "class": "card" },
			    kv([["node", str(n.name)],
			    ["identity", str(n.identity), { "class": "mono" }],
			    ["listens on", str(n.listen)],
			    ["objects", str(s.objects)],
			    ["quarantined", str(s.quarantined)],
			    ["peers", peers.length + " (" + down + " down)",
			    { id: "peers-summary" }]])));
			view.appendChild(el("h3", { text: "Peers" }));
			view.appendChild(peers.length === 0 ? el("p", {
			    "class": "muted", text: "No peers." }) :
			    table("peers", [
			    ["peer", function (p) { return str(p.name); }],
			    ["state", function (p) {
				var st = peerState(p);
				return el("span", { "class": "state " + st,
				    text: st === "down" ? "DOWN" :
				    st === "never" ? "never synced" : st });
			    }],
			    ["last sync", function (p) {
				return p.last_success ? when(p.last_success) :
				    "never";
			    }],
			    ["lag", function (p) { return lag(p.lag_s); }],
			    ["failures", function (p) {
				return str(p.failures) + (p.last_failure ?
				    " (last " + when(p.last_failure) + ")" : "");
			    }],
			    ["last error", function (p) {
				var e = p.last_error;
				if (e == null)
					return "\u2014";
				e = typeof e === "object" ? str(e.kind) + ": " +
				    str(e.reason) : str(e);
				return peerState(p) === "up" ? "(earlier) " + e : e;
			    }],
			    ["refused", function (p) { return str(p.refused); }],
			    ["quarantined", function (p) {
				return str(p.quarantined);
			    }],
			    ["received", function (p) { return str(p.received); }],
			    ["backoff", function (p) {
				var b = p.backoff || {};
				return b.active ? "until " +
				    when(b.next_attempt) : "no";
			    }]], peers, function (p) {
				var st = peerState(p);
				return { "class": "peer-" + st,
				    "data-peer": str(p.name), "data-state": st };
			    }));
			var feeds = Array.isArray(d.feeds) ? d.feeds : [];
			view.appendChild(el("h3", { text: "Feeds" }));
			view.appendChild(feeds.length === 0 ? el("p", {
			    "class": "muted", id: "feeds", text: "No feeds." }) :
			    genericTable("feeds", feeds, ["name", "url",
			    "enabled", "tlp", "last_success", "last_failure",
			    "failures", "last_error", "lag_s", "refused"]));
			var cl = Array.isArray(d.clients) ? d.clients : [];
			view.appendChild(el("h3", { text: "Subscribers" }));
			view.appendChild(cl.length === 0 ? el("p", {
			    "class": "muted", id: "clients",
			    text: "No subscribers." }) :
			    genericTable("clients", cl, ["name", "max_tlp",
			    "internal", "enabled", "auth", "last_seen",
			    "requests", "refused"]));
			state("ready");
		});
	}

	/* --- audit ----------------------------------------------------- */

	function routeAudit(q, my, params) {
		page("audit", "Audit log");
		var lim = /^[0-9]{1,4}$/.test(params.limit || "") ?
		    params.limit : "100";
		api("GET", "/api/audit?limit=" + lim).then(function (r) {
			if (my !== seq)
				return;
			if (r.status !== 200 || !r.data)
				return failed(view, r);
			var d = r.data, es = Array.isArray(d.entries) ?
			    d.entries : [];
			view.appendChild(el("p", { id: "audit-state",
			    "data-verified": d.verified === true ? "true" : "false",
			    "class": "banner " + (d.verified === true ? "good" :
			    "bad"), role: "status", text: d.verified === true ?
			    "Hash chain verified: no entry was changed or " +
			    "removed." : "NOT VERIFIED: " + (d.problem == null ?
			    "no reason given" : str(d.problem)) }));
			view.appendChild(el("p", { "class": "muted", text:
			    es.length + " entries, newest first" }));
			view.appendChild(table("audit", [
			    ["#", function (e) { return str(e.seq); }],
			    ["time", function (e) { return when(e.time); }],
			    ["event", function (e) { return str(e.event); }],
			    ["detail", function (e) { return str(e.detail); }]],
			    es));
			state("ready");
		});
	}

	/* --- add, update, revoke --------------------------------------- */

	function field(f, label, input) {
		f.appendChild(el("label", { "for": input.id, text: label }));
		f.appendChild(input);
	}

	function tlpSelect(id, blank) {
		return el("select", { id: id, name: "tlp" },
		    (blank ? [""] : []).concat(["clear", "green", "amber",
		    "amber+strict", "red"]).map(function (t) {
			return el("option", { value: t, selected: t === "amber",
			    text: t === "" ? "(unchanged)" : "TLP:" +
			    t.toUpperCase() });
		    }));
	}

	function val(f, id) {
		var e = f.querySelector("#" + id);
		return e ? e.value.trim() : "";
	}

	function submitter(f, out, path, build) {
		f.addEventListener("submit", function (ev) {
			ev.preventDefault();
			var body;
			try {
				body = build();
			} catch (e) {
				clear(out);
				out.appendChild(el("p", { "class": "error",
				    role: "alert", text: e.message }));
				return;
			}
			var b = f.querySelector("button");
			b.disabled = true;
			clear(out);
			out.setAttribute("data-state", "loading");
			api("POST", path, body).then(function (r) {
				b.disabled = false;
				clear(out);
				if (r.status === 401)
					return showLogin("Your session has ended.");
				var good = r.status >= 200 && r.status < 300;
				out.setAttribute("data-state", good ? "done" :
				    "error");
				out.appendChild(el("p", { "class": good ? "ok" :
				    "error", role: "status", text: good ?
				    "Done." : "Refused: " + errText(r) }));
				if (good && body.value)
					out.appendChild(el("p", null, lookupLink(
					    body.value, "Look up " + body.value)));
				if (good)
					out.appendChild(summary(r.data));
				out.appendChild(el("details", null, el("summary",
				    { text: "the node's answer" }), el("pre", {
				    text: JSON.stringify(r.data, null, 2) })));
			});
		});
	}

	/* One line per event of an add/update/revoke answer. */
	function summary(d) {
		var evs = Array.isArray(d) ? d : (d && Array.isArray(d.events) ?
		    d.events : [d]);
		return el("ul", { "class": "plain events" },
		    evs.slice(0, 50).map(function (e) {
			if (e == null || typeof e !== "object")
				return el("li", { text: str(e) });
			return el("li", { "class": "mono", text: Object.keys(e)
			    .slice(0, 8).map(function (k) {
				var v = e[k];
				return k + "=" + (typeof v === "object" ?
				    JSON.stringify(v) : str(v));
			    }).join("  ") });
		    }));
	}

	function num(s, what, lo, hi) {
		if (s === "")
			return undefined;
		if (!/^[0-9]+$/.test(s) || +s < lo || +s > hi)
			throw new Error(what + " must be a number from " + lo +
			    " to " + hi);
		return +s;
	}

	function routeIndicator(q) {
		page("indicator", "Add, update or revoke an indicator");
		/* add */
		var fa = el("form", { "class": "grid", id: "add-form" });
		field(fa, "Kind", el("select", { id: "add-kind" },
		    ["wallet", "domain", "email", "alias"].map(function (k) {
			return el("option", { value: k, text: k });
		    })));
		field(fa, "Value", el("input", { id: "add-value",
		    "class": "wide", required: true, autocomplete: "off",
		    spellcheck: "false", value: q }));
		field(fa, "Chain (wallets)", el("input", { id: "add-chain",
		    placeholder: "detected" }));
		field(fa, "TLP", tlpSelect("add-tlp", false));
		field(fa, "Confidence (0-100)", el("input", {
		    id: "add-confidence", inputmode: "numeric" }));
		field(fa, "Actor", el("input", { id: "add-actor" }));
		field(fa, "Actor is an individual", el("input", {
		    id: "add-individual", type: "checkbox" }));
		field(fa, "Valid until", el("input", { id: "add-valid-until",
		    placeholder: "YYYY-MM-DDTHH:MM:SSZ" }));
		fa.appendChild(el("span"));
		fa.appendChild(el("button", { type: "submit", text: "Add" }));
		var oa = el("div", { id: "add-result", "aria-live": "polite" });
		submitter(fa, oa, "/api/add", function () {
			var b = { kind: val(fa, "add-kind"),
			    value: val(fa, "add-value"),
			    tlp: val(fa, "add-tlp") };
			if (!b.value)
				throw new Error("a value is needed");
			if (val(fa, "add-chain"))
				b.chain = val(fa, "add-chain");
			var c = num(val(fa, "add-confidence"), "confidence",
			    0, 100);
			if (c !== undefined)
				b.confidence = c;
			if (val(fa, "add-actor")) {
				b.actor = val(fa, "add-actor");
				b.individual = fa.querySelector(
				    "#add-individual").checked;
			}
			if (val(fa, "add-valid-until"))
				b.valid_until = val(fa, "add-valid-until");
			return b;
		});
		view.appendChild(el("section", { "class": "card" },
		    el("h3", { text: "Add" }), fa, oa));
		/* update */
		var fu = el("form", { "class": "grid", id: "update-form" });
		field(fu, "Value", el("input", { id: "update-value",
		    "class": "wide", required: true, autocomplete: "off",
		    spellcheck: "false", value: q }));
		field(fu, "Confidence (0-100)", el("input", {
		    id: "update-confidence", inputmode: "numeric" }));
		field(fu, "TLP", tlpSelect("update-tlp", true));
		fu.querySelector("#update-tlp").value = "";
		field(fu, "Valid until", el("input", {
		    id: "update-valid-until",
		    placeholder: "YYYY-MM-DDTHH:MM:SSZ" }));
		fu.appendChild(el("span"));
		fu.appendChild(el("button", { type: "submit", text: "Update" }));
		var ou = el("div", { id: "update-result", "aria-live": "polite" });
		submitter(fu, ou, "/api/update", function () {
			var b = { value: val(fu, "update-value") };
			if (!b.value)
				throw new Error("a value is needed");
			var c = num(val(fu, "update-confidence"), "confidence",
			    0, 100);
			if (c !== undefined)
				b.confidence = c;
			if (val(fu, "update-tlp"))
				b.tlp = val(fu, "update-tlp");
			if (val(fu, "update-valid-until"))
				b.valid_until = val(fu, "update-valid-until");
			return b;
		});
		view.appendChild(el("section", { "class": "card" },
		    el("h3", { text: "Update" }), fu, ou));
		/* revoke */
		var fr = el("form", { "class": "grid", id: "revoke-form" });
		field(fr, "Value", el("input", { id: "revoke-value",
		    "class": "wide", required: true, autocomplete: "off",
		    spellcheck: "false", value: q }));
		field(fr, "Reason", el("input", { id: "revoke-reason",
		    "class": "wide" }));
		fr.appendChild(el("span"));
		fr.appendChild(el("button", { type: "submit", "class": "danger",
		    text: "Revoke" }));
		var or = el("div", { id: "revoke-result", "aria-live": "polite" });
		submitter(fr, or, "/api/revoke", function () {
			var b = { value: val(fr, "revoke-value") };
			if (!b.value)
				throw new Error("a value is needed");
			if (val(fr, "revoke-reason"))
				b.reason = val(fr, "revoke-reason");
			if (!window.confirm("Revoke every indicator this node " +
			    "made for " + b.value + "? Peers will see it " +
			    "withdrawn."))
				throw new Error("not revoked");
			return b;
		});
		view.appendChild(el("section", { "class": "card" },
		    el("h3", { text: "Revoke" }), fr, or));
		state("ready");
	}

	/* --- login and routing ----------------------------------------- */

	function showLogin(msg) {
		session = null;
		document.getElementById("nav").hidden = true;
		document.getElementById("logout").hidden = true;
		document.getElementById("who").textContent = "";
		page("login", "Log in");
		if (msg)
			view.appendChild(el("p", { "class": "error", role: "alert",
			    id: "login-message", text: msg }));
		var pw = el("input", { type: "password", id: "password",
		    autocomplete: "current-password", required: true });
		var f = el("form", { "class": "grid", id: "login-form" });
		field(f, "Operator password", pw);
		f.appendChild(el("span"));
		f.appendChild(el("button", { type: "submit", text: "Log in" }));
		f.addEventListener("submit", function (ev) {
			ev.preventDefault();
			login({ password: pw.value });
		});
		view.appendChild(f);
		view.appendChild(el("p", { "class": "muted", text: "Or open " +
		    "the link `threatex console` prints on the node, or use " +
		    "an operator certificate (`threatex operator add`)." }));
		state("ready");
		pw.focus();
	}

	function login(body) {
		api("POST", "/api/login", body).then(function (r) {
			if (r.status !== 200)
				return showLogin("Login refused (" + errText(r) +
				    ").");
			start();
		});
	}

	function parseHash() {
		var h = location.hash.replace(/^#\/?/, "");
		var i = h.indexOf("?"), name = i < 0 ? h : h.slice(0, i);
		var params = {};
		if (i >= 0)
			h.slice(i + 1).split("&").slice(0, 16).forEach(
			    function (kvp) {
				var j = kvp.indexOf("="), k, v;
				k = j < 0 ? kvp : kvp.slice(0, j);
				v = j < 0 ? "" : kvp.slice(j + 1);
				try {
					params[decodeURIComponent(k)] =
					    decodeURIComponent(v.replace(/\+/g,
					    " "));
				} catch (e) {
					/* a malformed escape: ignore it */
				}
			    });
		return { name: name, params: params };
	}

	var ROUTES = { lookup: routeLookup, graph: routeGraph,
	    status: routeStatus, audit: routeAudit, indicator: routeIndicator };

	function route() {
		if (!session)
			return;
		var r = parseHash(), f = ROUTES[r.name];
		seq++;
		if (!f) {
			history.replaceState(null, "", location.pathname +
			    location.search + "#/lookup");
			f = routeLookup;
			r.params = {};
		}
		f(str(r.params.q).trim(), seq, r.params);
		view.focus({ preventScroll: true });
	}

	function start() {
		api("GET", "/api/session").then(function (r) {
			if (r.status !== 200 || !r.data)
				return showLogin(r.status === 401 ? null :
				    "The node did not answer: " + errText(r));
			session = r.data;
			var n = session.node || {};
			document.getElementById("node-name").textContent =
			    str(n.name);
			document.getElementById("who").textContent =
			    "operator " + str(session.operator);
			document.getElementById("nav").hidden = false;
			document.getElementById("logout").hidden = false;
			route();
		});
	}

	/* A #login=TOKEN link: true when it was one (and is being used). */
	function loginLink() {
		var m = /^#login=([A-Za-z0-9_-]{16,128})$/.exec(location.hash);
		if (!m)
			return false;
		/* the token leaves the address bar and history now */
		history.replaceState(null, "", location.pathname +
		    location.search + "#/lookup");
		login({ token: m[1] });
		return true;
	}

	function boot() {
		view = document.getElementById("view");
		window.addEventListener("hashchange", function () {
			if (!loginLink())
				route();
		});
		document.getElementById("logout").addEventListener("click",
		    function () {
			api("POST", "/api/logout", {}).then(function () {
				showLogin("Logged out.");
			});
		    });
		if (!loginLink())
			start();
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", boot);
	else
		boot();
}());
