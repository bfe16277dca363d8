"""The widgets of the generated privacy pages (tests/e2e/privacy_gen.py puts them in containers).

A widget is a small piece of page with what it must protect: private fields of every kind the docs
promise, masked / blocked / ignored regions, ordinary text and fields. Each brings its HTML, its
build-time scripts (run before recording starts), the operations the test runs afterwards, its
secrets (never to leave the browser) and its nonces (must arrive).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

SECRET_LETTERS = "QXZJKVWqxzjkvw"
NONCE_LETTERS = "abcdefghmnoprstuy"  # shares no letter with secrets: no accidental fragments
Op = tuple[Any, ...]  # ("run", page op, *args) | ("type" | "paste", id, text) | ("press", id, key)


@dataclass
class Widget:
    html: str
    shadows: dict[str, list[str]] = field(default_factory=dict)
    frames: dict[str, list[str]] = field(default_factory=dict)
    scripts: list[str] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    nonces: list[str] = field(default_factory=list)
    private_ids: list[str] = field(default_factory=list)  # fields: no value, no Input event
    chosen_ids: list[str] = field(default_factory=list)  # option/radio: never selected/checked
    root_id: str = ""
    kind: str = ""  # what the widget is, for failure messages: "named_field name=\"totp\""

    def spec(self) -> dict[str, Any]:
        return {"shadows": self.shadows, "frames": self.frames, "scripts": self.scripts}


def luhn_card(rng: random.Random) -> str:
    digits = [int(d) for d in rng.choice(["4", "51", "53", "37", "6011"])]
    digits += [rng.randrange(10) for _ in range(15 - len(digits))]
    total = 0
    for i, d in enumerate(reversed(digits)):  # the check digit will sit to the right
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def iban(rng: random.Random) -> str:
    country, bban = rng.choice(
        [
            ("DE", "".join(str(rng.randrange(10)) for _ in range(18))),
            ("NL", "ABNA" + "".join(str(rng.randrange(10)) for _ in range(10))),
        ]
    )
    number = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(number) % 97:02d}{bban}"


# How a field says it is private: its attributes, or "label:<text of its label>". Spellings from
# docs/privacy.md and issue 16 (a keyword list for en, de, fr, es, it, pt, nl).
PASSWORD_HINTS = [
    'type="password"', 'TYPE="PASSWORD"', 'type="Password"', 'name="passwort"',
    'name="contraseña"', 'name="mot_de_passe"', 'name="passphrase"', 'name="wachtwoord"',
    'aria-label="Passwort"', 'placeholder="Contraseña"', 'name="senha"',
    'autocomplete="current-password"', 'autocomplete="new-password"',
    'style="-webkit-text-security: disc"', "label:Mot de passe", "label:Wachtwoord",
]  # fmt: skip
NAMED_HINTS = [
    'autocomplete="cc-number"', 'autocomplete="cc-csc"', 'autocomplete="cc-exp"',
    'autocomplete="billing cc-number"', 'name="cardNo"', 'name="card-code"',
    'name="expirationDate"', 'name="kartennummer"', 'name="card_number"', 'name="cvc"',
    'aria-label="Card number"', 'autocomplete="one-time-code"', 'name="otpCode"', 'name="totp"',
    'name="verification_code"', 'name="iban"', 'name="IBAN"', 'name="ssn"',
    'name="social_security_number"', 'name="national_id"', 'name="nationalId"',
    'name="tax_id"', 'name="taxId"', 'type="hidden"', "label:Kartennummer",
    "label:Numéro de carte", "label:IBAN", "label:Steuer-ID", "label:Bestätigungscode",
]  # fmt: skip


def labelled(hint: str, default_label: str) -> tuple[str, str]:
    """(label text, the input's attributes) for a hint: "label:X" puts the hint in the label."""
    return (hint[6:], 'name="f"') if hint.startswith("label:") else (default_label, hint)


CUSTOM_ELEMENT = """
if (!customElements.get('gen-secret-box')) customElements.define('gen-secret-box',
  class extends HTMLElement {
    connectedCallback() {
      if (this.built) return;
      this.built = true;
      var root = this.attachShadow({ mode: this.dataset.mode });
      GEN.register(this, root);
      var field = document.createElement('input');
      field.type = 'password';
      field.id = this.dataset.field;
      root.appendChild(field);
      field.value = GEN.values[field.id] || '';
      field.type = 'text';
    }
  });
"""
ORDINARY_NAMES = ["nickname", "city", "favourite_colour", "company", "comment", "street", "title"]
FLAGS = ["data-st-mask", "data-st-block", "data-st-ignore"]


class Widgets:
    """Makes widgets from one random source; `slow` tells whether a frame is served slowly."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.count = 0
        self.slow = False

    def id(self, stem: str) -> str:
        self.count += 1
        return f"g{self.count}{stem}"

    def secret(self) -> str:
        return "".join(self.rng.choice(SECRET_LETTERS) for _ in range(self.rng.randint(12, 20)))

    def nonce(self) -> str:
        return "".join(self.rng.choice(NONCE_LETTERS) for _ in range(10))

    # -- how a secret gets into a field ------------------------------------------------------

    def fill(self, w: Widget, fid: str, modes: list[str]) -> None:
        value = self.secret()
        w.secrets.append(value)
        mode = self.rng.choice(modes)
        if self.rng.random() < 0.3:  # a floating-label helper mirrors the value into attributes
            w.scripts.append(
                f"var e = GEN.find({fid!r}); e.addEventListener('input', function () "
                "{ e.setAttribute('data-value', e.value); e.setAttribute('value', e.value); });"
            )
        if mode == "prefill":
            w.html = w.html.replace(f'id="{fid}"', f'id="{fid}" value="{value}"')
        elif mode == "before":
            w.scripts.append(f"GEN.find({fid!r}).value = {value!r};")
        elif mode in ("type", "paste"):
            w.ops.append((mode, fid, value))
            if self.rng.random() < 0.3:
                w.ops.append(("press", fid, "Backspace"))
        elif mode == "script":
            w.ops.append(("run", "setValue", fid, value))
        else:
            w.ops.append(("run", "setAttr", fid, self.rng.choice(["value", "data-value"]), value))

    # -- widgets --------------------------------------------------------------------------------

    def password(self) -> Widget:
        wid, fid = self.id("pw"), self.id("pwf")
        hint = self.rng.choice(PASSWORD_HINTS)
        label, hint = labelled(hint, "Sign-in")
        w = Widget(f'<div id="{wid}" class="field"><label for="{fid}">{label}</label>'
                   f'<input {hint} id="{fid}"></div>', root_id=wid)  # fmt: skip
        w.private_ids.append(fid)
        self.fill(w, fid, ["prefill", "before", "type", "paste", "script", "attr"])
        trick = self.rng.choice(["none", "toggle", "swap", "toggle-before", "created"])
        if not hint.lower().startswith("type=") or trick == "none":
            return w
        shown = self.secret()
        w.secrets.append(shown)
        if trick == "toggle":
            w.ops += [("run", "toggleType", fid), ("type", fid, shown)]
        elif trick == "toggle-before":
            w.scripts.append(f"GEN.find({fid!r}).type = 'text';")
            w.ops.append(("type", fid, shown))
        elif trick == "swap":
            new = self.id("shown")
            w.private_ids.append(new)
            w.ops += [("run", "swapIn", fid, new), ("type", new, shown)]
        else:
            new = self.id("made")
            w.private_ids.append(new)
            w.ops += [("run", "createToggled", wid, new, shown), ("type", new, self.secret())]
            w.secrets.append(w.ops[-1][2])
        return w

    def named_field(self) -> Widget:
        wid, fid = self.id("nf"), self.id("nff")
        label, hint = labelled(self.rng.choice(NAMED_HINTS), "Details")
        textarea = "type=" not in hint and self.rng.random() < 0.2
        field = (
            f'<textarea {hint} id="{fid}"></textarea>' if textarea else f'<input {hint} id="{fid}">'
        )
        if self.rng.random() < 0.3:  # the label wraps the field
            w = Widget(f'<div id="{wid}"><label>{label} {field}</label></div>', root_id=wid)
        else:
            w = Widget(
                f'<div id="{wid}"><label for="{fid}">{label}</label>{field}</div>', root_id=wid
            )
        w.private_ids.append(fid)
        modes = ["prefill", "script", "attr"] if "hidden" in hint else None
        self.fill(w, fid, modes or ["prefill", "before", "type", "paste", "script", "attr"])
        if textarea and self.rng.random() < 0.5:  # a textarea's markup holds its first value
            w.secrets.append(self.secret())
            w.html = w.html.replace("></textarea>", f">{w.secrets[-1]}</textarea>")
        return w

    def split_boxes(self) -> Widget:
        card = self.rng.random() < 0.5
        count, size = (4, 4) if card else (6, 1)
        hint = self.rng.choice(
            ['autocomplete="cc-number"', 'name="cardNo"']
            if card
            else ['autocomplete="one-time-code"', 'name="otp"', 'name="otpCode"']
        )
        wid = self.id("split")
        ids = [self.id("box") for _ in range(count)]
        boxes = "".join(
            f'<input id="{b}" maxlength="{size}" size="{size}" inputmode="numeric"'
            + (f" {hint}>" if i == 0 else ">")
            for i, b in enumerate(ids)
        )
        w = Widget(f'<div id="{wid}" class="boxes">{boxes}</div>', root_id=wid)
        w.private_ids += ids
        otp = "".join(str(self.rng.randrange(10)) for _ in range(6))
        digits = luhn_card(self.rng) if card else otp
        for i, b in enumerate(ids):
            part = digits[i * size : (i + 1) * size]
            w.ops.append(self.rng.choice([("type", b, part), ("run", "setValue", b, part)]))
        if card:
            w.secrets.append(digits)
        return w

    def expiry_select(self) -> Widget:
        wid, sid = self.id("exp"), self.id("sel")
        name = self.rng.choice(
            ['name="exp_month"', 'autocomplete="cc-exp-month"', 'name="expMonth"']
        )
        opts = [(self.id("opt"), f"{m:02d}") for m in range(1, 13)]
        options = "".join(f'<option id="{o}" value="{v}">{v}</option>' for o, v in opts)
        w = Widget(
            f'<div id="{wid}"><select {name} id="{sid}">{options}</select></div>', root_id=wid
        )
        chosen = self.rng.choice(opts[1:])
        w.private_ids.append(sid)
        w.chosen_ids.append(chosen[0])
        if self.rng.random() < 0.3:
            w.scripts.append(f"GEN.run('select', [{sid!r}, {chosen[1]!r}, true]);")
        else:
            w.ops.append(("run", "select", sid, chosen[1], self.rng.random() < 0.7))
        return w

    def ignored_radios(self) -> Widget:
        wid, group = self.id("rad"), self.id("grp")
        ids = [self.id("r") for _ in range(3)]
        radios = "".join(
            f'<label><input type="radio" name="{group}" id="{r}">{i}</label>'
            for i, r in enumerate(ids)
        )
        w = Widget(f'<fieldset id="{wid}" data-st-ignore>{radios}</fieldset>', root_id=wid)
        chosen = self.rng.choice(ids[1:])
        w.private_ids += ids
        w.chosen_ids.append(chosen)
        w.ops.append(("run", "check", chosen, self.rng.random() < 0.7))
        return w

    def region(self) -> Widget:
        flag = self.rng.choice(FLAGS)
        wid, pid, iid, tid, ce = (self.id(s) for s in ("reg", "p", "in", "t", "ce"))
        text, title, comment, holder, label, typed, later = (self.secret() for _ in range(7))
        inner = (
            f'<p id="{pid}" title="{title}">{text}</p><!-- {comment} -->'
            f'<input id="{iid}" placeholder="{holder}" aria-label="{label}">'
            f'<span id="{tid}">x</span>'
        )
        framed = self.secret()
        if flag == "data-st-mask" and self.rng.random() < 0.3:  # a frame whose markup is inline
            inner += f'<iframe srcdoc="<p>{framed}</p>"></iframe>'
        editable = flag == "data-st-ignore" and self.rng.random() < 0.5
        if editable:
            inner += f'<div id="{ce}" contenteditable="true">edit here</div>'
        w = Widget(f'<section id="{wid}" {flag}>{inner}</section>', root_id=wid)
        w.secrets.append(typed)
        w.ops.append(self.rng.choice([("type", iid, typed), ("paste", iid, typed)]))
        if flag != "data-st-mask" and self.rng.random() < 0.3:  # keys of a field not recorded
            w.ops.append(("press", iid, "Backspace"))
        if flag != "data-st-mask" and self.rng.random() < 0.3:  # once private, always private
            w.ops.append(("run", "move", iid, "gen-root"))
        if flag == "data-st-ignore":  # inputs only: its text may be recorded
            w.private_ids.append(iid)
            if editable:
                w.secrets.append(self.secret())
                w.ops.append(("type", ce, w.secrets[-1]))
            return w
        w.secrets += [text, title, comment, holder, label, later]
        if "srcdoc" in inner:
            w.secrets.append(framed)
        w.ops.append(("run", "setText", tid, later))
        more, retitled = self.secret(), self.secret()
        if self.rng.random() < 0.5:  # the text node changes in place; an attribute changes
            w.secrets += [more, retitled]
            w.ops += [("run", "appendText", pid, more), ("run", "setAttr", pid, "title", retitled)]
        if flag == "data-st-block":
            w.private_ids.append(iid)
            w.ops.append(("click_block", wid))
        return w

    def form_attribute(self) -> Widget:
        wid, form, fid = self.id("fa"), self.id("form"), self.id("ff")
        typed = self.secret()
        w = Widget(f'<div id="{wid}"><form id="{form}" data-st-ignore><input name="a"></form>'
                   f'<input id="{fid}" form="{form}" name="note"></div>', root_id=wid)  # fmt: skip
        w.secrets.append(typed)
        w.private_ids.append(fid)
        w.ops.append(("type", fid, typed))
        return w

    def masked_shadow(self) -> Widget:
        wid = self.id("msh")
        mode = self.rng.choice(["open", "closed"])
        first, later = self.secret(), self.secret()
        w = Widget(f'<div id="{wid}" data-st-mask></div>', root_id=wid)
        w.shadows[wid] = [mode, f"{first}<span>{self.secret()}</span>"]
        w.secrets += [first, later, w.shadows[wid][1].split("<span>")[1].split("<")[0]]
        w.ops.append(("run", "setShadowText", wid, later))
        return w

    def framed_region(self) -> Widget:
        flag = self.rng.choice(["data-st-mask", "data-st-ignore", "data-st-block"])
        how = self.rng.choice(["append", "write", "served", "slow"])
        self.slow |= how == "slow"
        wid, frame, pid, fid = self.id("fr"), self.id("frame"), self.id("fp"), self.id("fin")
        text, typed, written = self.secret(), self.secret(), self.secret()
        w = Widget(f'<div id="{wid}" {flag}><iframe id="{frame}"></iframe></div>', root_id=wid)
        w.frames[frame] = [how, f'<p id="{pid}">{text}</p><input id="{fid}" name="plain">']
        if flag != "data-st-mask":  # masked fields are recorded as placeholders
            w.private_ids.append(fid)
        w.secrets += [typed] if flag == "data-st-ignore" else [text, typed]
        w.ops.append(("type", fid, typed))
        if self.rng.random() < 0.4:
            password = self.secret()
            w.secrets += [password] if flag == "data-st-ignore" else [password, written]
            html = f'<p>{written}</p><input type="password" value="{password}">'
            w.ops.append(("run", "frameWrite", frame, html))
        return w

    def flagged_later(self) -> Widget:
        flag = self.rng.choice(FLAGS)
        wid, pid, iid = self.id("late"), self.id("lp"), self.id("li")
        nonce, text, typed = self.nonce(), self.secret(), self.secret()
        w = Widget(f'<section id="{wid}"><p id="{pid}">{nonce}</p><input id="{iid}"></section>',
                   root_id=wid, nonces=[nonce])  # fmt: skip
        w.ops.append(("run", "setAttr", wid, flag, ""))
        w.secrets.append(typed)
        w.ops.append(("type", iid, typed))
        if flag != "data-st-ignore":
            w.secrets.append(text)
            w.ops.append(("run", "setText", pid, text))
        return w

    def ordinary(self) -> Widget:
        wid, pid, fid = self.id("ord"), self.id("op"), self.id("of")
        text, typed = self.nonce(), self.nonce()
        name = self.rng.choice(ORDINARY_NAMES)
        w = Widget(f'<div id="{wid}"><p id="{pid}">Ordinary {text} words</p>'
                   f'<label for="{fid}">{name}</label><input id="{fid}" name="{name}"></div>',
                   root_id=wid, nonces=[text, typed])  # fmt: skip
        w.ops.append(self.rng.choice([("type", fid, typed), ("run", "setValue", fid, typed)]))
        return w

    def value_based(self) -> Widget:
        """Card numbers and IBANs in ordinary fields and text: masked by value, whatever names."""
        wid, pid, fid = self.id("vb"), self.id("vp"), self.id("vf")
        shown, entered = (
            luhn_card(self.rng) if self.rng.random() < 0.6 else iban(self.rng) for _ in "ab"
        )
        w = Widget(f'<div id="{wid}"><p id="{pid}">Saved: {shown}</p>'
                   f'<input id="{fid}" name="{self.rng.choice(ORDINARY_NAMES)}"></div>',
                   root_id=wid, secrets=[shown, entered])  # fmt: skip
        w.ops.append(self.rng.choice([("paste", fid, entered), ("run", "setValue", fid, entered)]))
        return w

    def custom_element(self) -> Widget:
        """A custom element that builds a password field in its shadow root when connected and
        shows it as text at once, in the same task (a "show password" on by default)."""
        wid, fid = self.id("ce"), self.id("cef")
        mode = self.rng.choice(["open", "closed"])
        first, typed = self.secret(), self.secret()
        w = Widget(f'<gen-secret-box id="{wid}" data-mode="{mode}" data-field="{fid}">'
                   "</gen-secret-box>", root_id=wid, secrets=[first, typed])  # fmt: skip
        w.scripts += [f"GEN.values[{fid!r}] = {first!r};", CUSTOM_ELEMENT]
        w.private_ids.append(fid)
        w.ops.append(("type", fid, typed))
        return w

    WIDGETS: ClassVar[dict[str, int]] = {
        "password": 4, "named_field": 5, "split_boxes": 1, "expiry_select": 1,
        "ignored_radios": 1, "region": 3, "form_attribute": 1, "masked_shadow": 1,
        "framed_region": 1, "flagged_later": 1, "ordinary": 4, "value_based": 1,
        "custom_element": 1,
    }  # fmt: skip

    def widget(self, in_form: bool = False, where: str = "page") -> Widget:
        kinds = [
            k
            for k in self.WIDGETS
            if not (in_form and k == "form_attribute")  # no form in a form
            and not ("frame" in where and k == "custom_element")  # defined in the top page only
        ]
        kind = self.rng.choices(kinds, weights=[self.WIDGETS[k] for k in kinds])[0]
        made: Widget = getattr(self, kind)()
        first = made.html.split("<input ", 1)[1].split(" id=")[0] if "<input " in made.html else ""
        flag = re.search(r"data-st-\w+", made.html)
        if kind in ("password", "named_field"):
            kind += f" [{first}]"
        elif flag and kind != "ignored_radios":
            kind += f" [{flag.group()}]"
        made.kind = kind
        return made

    # -- containers -----------------------------------------------------------------------------
