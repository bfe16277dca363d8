"""A pure-Python mirror of the recorded page: built from a full snapshot, kept current by
mutations and input events, and serialized back to script-free HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from sessiontape.events import AddedNode, AttributeValue, InputData, MutationData, SerializedNode

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"}
    | {"track", "wbr"}
)
RAW_TEXT_ELEMENTS = frozenset({"style", "script", "textarea", "title"})
SCRIPT_FREE_DROPPED = frozenset({"script", "noscript"})


@dataclass
class DomNode:
    id: int
    kind: int
    tag: str = ""
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    text: str = ""
    children: list[int] = field(default_factory=list)
    parent: int | None = None
    doctype: str = ""


class DomMirror:
    """Node id -> node, as the replayer would hold it."""

    def __init__(self, root: SerializedNode) -> None:
        self.nodes: dict[int, DomNode] = {}
        self.root_id = self._insert(root, parent=None)

    def _insert(self, serialized: SerializedNode, parent: int | None) -> int:
        node = _dom_node(serialized)
        node.parent = parent
        self.nodes[node.id] = node
        if serialized["type"] == 0 or serialized["type"] == 2:
            for child in serialized["childNodes"]:
                node.children.append(self._insert(child, node.id))
        return node.id

    # --- applying incremental events -----------------------------------------------------

    def apply_mutation(self, mutation: MutationData) -> None:
        for removed in mutation.removes:
            self._remove(removed.id)
        self._add_all(mutation.adds)
        for text in mutation.texts:
            if text.id in self.nodes:
                self.nodes[text.id].text = text.value or ""
        for change in mutation.attributes:
            node = self.nodes.get(change.id)
            if node is None:
                continue
            for name, value in change.attributes.items():
                if value is None:
                    node.attributes.pop(name, None)
                elif isinstance(value, str):
                    node.attributes[name] = value
                else:
                    node.attributes[name] = _patch_style(
                        str(node.attributes.get(name) or ""), value
                    )

    def apply_input(self, data: InputData) -> None:
        node = self.nodes.get(data.id)
        if node is None:
            return
        if node.attributes.get("type") in ("checkbox", "radio"):
            if data.isChecked:
                node.attributes["checked"] = True
            else:
                node.attributes.pop("checked", None)
        elif node.tag == "textarea":
            node.children = []
            node.attributes["value"] = data.text
        else:
            node.attributes["value"] = data.text

    def _remove(self, node_id: int) -> None:
        node = self.nodes.get(node_id)
        if node is None:
            return
        parent = self.nodes.get(node.parent) if node.parent is not None else None
        if parent is not None and node_id in parent.children:
            parent.children.remove(node_id)
        stack = [node_id]
        while stack:
            gone = self.nodes.pop(stack.pop(), None)
            if gone is not None:
                stack.extend(gone.children)

    def _add_all(self, adds: list[AddedNode]) -> None:
        pending = list(adds)
        while pending:
            ready = [a for a in pending if self._can_place(a)]
            if not ready:
                ready = [a for a in pending if a.parentId in self.nodes]  # append, as rrweb does
                if not ready:
                    return
            for add in ready:
                pending.remove(add)
                self._place(add)

    def _can_place(self, add: AddedNode) -> bool:
        return add.parentId in self.nodes and (add.nextId is None or add.nextId in self.nodes)

    def _place(self, add: AddedNode) -> None:
        if add.node["id"] in self.nodes:
            self._remove(add.node["id"])
        node_id = self._insert(add.node, add.parentId)
        siblings = self.nodes[add.parentId].children
        if add.nextId is not None and add.nextId in siblings:
            siblings.insert(siblings.index(add.nextId), node_id)
        else:
            siblings.append(node_id)

    # --- reading ---------------------------------------------------------------------------

    def text_content(self, node_id: int) -> str:
        node = self.nodes.get(node_id)
        if node is None:
            return ""
        if node.kind == 3:
            return node.text
        return "".join(self.text_content(child) for child in node.children)

    def css_path(self, node_id: int) -> str:
        """A readable CSS-like path, from the nearest ancestor with an id (or from html)."""
        parts: list[str] = []
        node = self.nodes.get(node_id)
        if node is not None and node.kind != 2 and node.parent is not None:
            node = self.nodes.get(node.parent)
        while node is not None and node.kind == 2:
            element_id = node.attributes.get("id")
            if isinstance(element_id, str) and element_id:
                parts.append(f"{node.tag}#{element_id}")
                break
            parts.append(node.tag + self._disambiguation(node))
            node = self.nodes.get(node.parent) if node.parent is not None else None
        return " > ".join(reversed(parts))

    def _disambiguation(self, node: DomNode) -> str:
        classes = node.attributes.get("class")
        suffix = "".join(f".{c}" for c in str(classes).split()[:2]) if classes else ""
        parent = self.nodes.get(node.parent) if node.parent is not None else None
        if parent is None:
            return suffix
        same_tag = [
            c for c in parent.children if self.nodes[c].kind == 2 and self.nodes[c].tag == node.tag
        ]
        if len(same_tag) > 1:
            suffix += f":nth-of-type({same_tag.index(node.id) + 1})"
        return suffix

    def ancestors(self, node_id: int) -> list[DomNode]:
        chain: list[DomNode] = []
        node = self.nodes.get(node_id)
        while node is not None:
            chain.append(node)
            node = self.nodes.get(node.parent) if node.parent is not None else None
        return chain

    def to_html(self) -> str:
        out: list[str] = []
        self._write(self.root_id, out, raw_text=False)
        return "".join(out)

    def _write(self, node_id: int, out: list[str], raw_text: bool) -> None:
        node = self.nodes[node_id]
        if node.kind == 0:
            for child in node.children:
                self._write(child, out, raw_text=False)
        elif node.kind == 1:
            out.append(f"<!DOCTYPE {node.doctype}>")
        elif node.kind == 3:
            out.append(node.text if raw_text else html.escape(node.text, quote=False))
        elif node.kind == 5:
            out.append(f"<!--{node.text}-->")
        elif node.kind == 2 and node.tag not in SCRIPT_FREE_DROPPED:
            self._write_element(node, out)

    def _write_element(self, node: DomNode, out: list[str]) -> None:
        tag = node.tag
        css = node.attributes.get("_cssText")
        if tag == "link" and isinstance(css, str):
            out.append(f"<style>{css}</style>")
            return
        attributes = node.attributes
        if tag == "textarea":  # rrweb keeps a textarea's value as an attribute; HTML has it as text
            attributes = {k: v for k, v in attributes.items() if k != "value"}
        out.append(f"<{tag}{_attributes(attributes)}>")
        if tag in VOID_ELEMENTS:
            return
        if tag == "textarea" and "value" in node.attributes:
            out.append(html.escape(str(node.attributes["value"]), quote=False))
        else:
            for child in node.children:
                self._write(child, out, raw_text=tag in RAW_TEXT_ELEMENTS and tag != "textarea")
        out.append(f"</{tag}>")


def _dom_node(serialized: SerializedNode) -> DomNode:
    if serialized["type"] == 2:
        tag = serialized["tagName"].lower()
        return DomNode(serialized["id"], 2, tag=tag, attributes=dict(serialized["attributes"]))
    if serialized["type"] == 1:
        return DomNode(serialized["id"], 1, doctype=serialized["name"])
    if serialized["type"] == 0:
        return DomNode(serialized["id"], 0)
    kind = 5 if serialized["type"] == 5 else 3  # CDATA reads as text
    return DomNode(serialized["id"], kind, text=serialized["textContent"])


def _attributes(attributes: dict[str, AttributeValue]) -> str:
    parts: list[str] = []
    for name, value in attributes.items():
        if name.startswith(("on", "_", "rr_")) or value is None or value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{html.escape(str(value))}"')
    return "".join(parts)


def _patch_style(current: str, changes: dict[str, object]) -> str:
    """Applies rrweb's style diff (``{prop: value | [value, priority] | false}``) to a style."""
    declarations: dict[str, str] = {}
    for declaration in current.split(";"):
        prop, sep, val = declaration.partition(":")
        if sep and prop.strip():
            declarations[prop.strip()] = val.strip()
    for prop, change in changes.items():
        if change is False or change is None:
            declarations.pop(prop, None)
        elif isinstance(change, list) and change:
            priority = f" !{change[1]}" if len(change) > 1 and change[1] else ""
            declarations[prop] = f"{change[0]}{priority}"
        else:
            declarations[prop] = str(change)
    return "; ".join(f"{prop}: {val}" for prop, val in declarations.items())
