"""Random private pages for the generative privacy test: one seed -> one page and its operations.

A page is a tree of containers (div, section, form, fieldset, open and closed shadow roots,
same-origin frames filled by script, by document.write or served by the collector, maybe slowly)
holding widgets (tests/e2e/privacy_widgets.py), some added after recording starts, and a random
interleaving of the widgets' operations, moves, removals and history.pushState calls.
testsite/privacy-lab/generated.js builds the page and runs the page-side operations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.e2e.privacy_widgets import Op, Widget, Widgets


@dataclass
class PageSpec:
    seed: int
    query: str
    html: str
    build: dict[str, Any]
    ops: list[Op]
    secrets: list[str]
    nonces: list[str]
    private_ids: list[str]
    chosen_ids: list[str]
    slow_frames: bool
    referrer: str
    origins: dict[str, str]  # secret or nonce -> the widget and where it sits on the page

    def describe(self) -> str:
        ops = "\n".join(f"  {json.dumps(op)}" for op in self.ops)
        return (
            f"seed {self.seed}  (replay: pytest tests/e2e/test_privacy_generative.py "
            f"--privacy-seed={self.seed})\nquery: {self.query}\nreferrer: {self.referrer}\n"
            f"page:\n{self.html}\nbuild: {json.dumps(self.build)}\noperations:\n{ops}"
        )


URL_SECRETS = ["token", "access_token", "code", "password", "secret", "auth", "session", "sig"]


class Generator(Widgets):
    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        # (id, where it sits, inside a form)
        self.containers: list[tuple[str, str, bool]] = [("gen-root", "page", False)]

    def children(
        self, depth: int, where: str, out: list[tuple[Widget, str]], in_form: bool = False
    ) -> str:
        parts = []
        for _ in range(self.rng.randint(3, 6) if depth == 0 else self.rng.randint(1, 3)):
            if depth < 3 and self.rng.random() < 0.35:
                parts.append(self.container(depth + 1, where, out, in_form))
            else:
                w = self.widget(in_form, where)
                out.append((w, where))
                parts.append(w.html)
        return "".join(parts)

    def container(
        self, depth: int, where: str, out: list[tuple[Widget, str]], in_form: bool
    ) -> str:
        kinds = ["div", "section", "fieldset", "shadow", "frame"] + ([] if in_form else ["form"])
        kind = self.rng.choice(kinds)  # no form in a form: the HTML parser drops the inner one
        cid = self.id(kind)
        if kind in ("div", "section", "form", "fieldset"):
            in_form = in_form or kind == "form"
            self.containers.append((cid, where, in_form))
            inner = self.children(depth, where, out, in_form)
            legend = "<legend>Group</legend>" if kind == "fieldset" else ""
            return f'<{kind} id="{cid}">{legend}{inner}</{kind}>'
        inner_id = cid + "-in"
        holder = Widget("")
        if kind == "shadow":
            mode = self.rng.choice(["open", "closed"])
            where = f"{where} > {mode} shadow root"
            # A shadow root's markup is parsed in its host's context: no form in it either.
            self.containers.append((inner_id, where, in_form))
            body = self.children(depth, where, out, in_form)
            holder.shadows[cid] = [mode, f'<div id="{inner_id}">{body}</div>']
            html = f'<div id="{cid}" class="host"></div>'
        else:
            how = self.rng.choice(["append", "write", "served", "slow"])
            self.slow |= how == "slow"
            where = f"{where} > frame ({how})"
            self.containers.append((inner_id, where, False))
            body = self.children(depth, where, out)
            holder.frames[cid] = [how, f'<div id="{inner_id}">{body}</div>']
            html = f'<iframe id="{cid}" style="width:600px;height:300px"></iframe>'
        out.append((holder, where))
        return html


def generate(seed: int) -> PageSpec:
    g = Generator(seed)
    placed: list[tuple[Widget, str]] = []
    html = g.children(0, "page", placed)
    # Widgets added after recording starts, into any container, followed by their operations.
    late: list[tuple[Widget, str]] = []
    queues: list[list[Op]] = []
    for _ in range(g.rng.randint(0, 2)):
        target, where, in_form = g.rng.choice(g.containers)
        w = g.widget(in_form, where)
        late.append((w, f"{where}, added later"))
        queues.append([("run", "insert", target, w.html, w.spec()), *w.ops])
    for w, _where in placed:
        queue = list(w.ops)
        if w.root_id and g.rng.random() < 0.15:
            queue.append(("run", "move", w.root_id, g.rng.choice(g.containers)[0]))
        elif w.root_id and g.rng.random() < 0.1:
            queue.append(("run", "remove", w.root_id))
        queues.append(queue)
    origins: dict[str, str] = {}
    url_secrets: list[str] = []
    query = f"seed={seed}"
    if g.rng.random() < 0.3:
        secret = g.secret()
        origins[secret] = "query parameter of the page's URL"
        url_secrets.append(secret)
        query += f"&{g.rng.choice(URL_SECRETS)}={secret}"
    if g.rng.random() < 0.5:
        a, b = g.secret(), g.secret()
        origins[a], origins[b] = "history.pushState query", "history.pushState fragment"
        url_secrets += [a, b]
        url = f"?page=2&{g.rng.choice(URL_SECRETS)}={a}#{g.rng.choice(URL_SECRETS)}={b}"
        queues.append([("run", "pushState", url)])
    referrer = ""
    if g.rng.random() < 0.25:
        secret = g.secret()
        origins[secret] = "query parameter of the referrer"
        url_secrets.append(secret)
        referrer = f"http://127.0.0.1:9/from?{g.rng.choice(URL_SECRETS)}={secret}"
    ops: list[Op] = []
    while any(queues):
        queue = g.rng.choice([q for q in queues if q])
        ops.append(queue.pop(0))
    always = g.nonce()  # every page has ordinary text: a recorder that sends nothing fails
    origins[always] = "the page's own ordinary paragraph"
    html += f'<p id="gen-ordinary">Ordinary {always} words</p>'
    build: dict[str, Any] = {"shadows": {}, "frames": {}, "scripts": []}
    for w, _where in placed:
        build["shadows"].update(w.shadows)
        build["frames"].update(w.frames)
        build["scripts"] += w.scripts
    build["scripts"].sort(key=lambda code: not code.startswith("GEN.values"))  # values first
    everything = placed + late
    for w, where in everything:
        for value in w.secrets + w.nonces:
            origins[value] = f"{w.kind} #{w.root_id} in {where}"
    return PageSpec(
        seed=seed,
        query=query,
        html=html,
        build=build,
        ops=ops,
        secrets=[s for w, _ in everything for s in w.secrets] + url_secrets,
        nonces=[always] + [n for w, where in everything if "closed" not in where for n in w.nonces],
        private_ids=[i for w, _ in everything for i in w.private_ids],
        chosen_ids=[i for w, _ in everything for i in w.chosen_ids],
        slow_frames=g.slow,
        referrer=referrer,
        origins=origins,
    )
