"""A pure-Python mirror of the recorded page: built from a full snapshot, kept current by
mutations and input events, and serialized back to script-free HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

from sessiontape._html import serialise
from sessiontape.events import AddedNode, AttributeValue, InputData, MutationData, SerializedNode


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
        """Adds a serialized subtree (iteratively: a page may nest deeper than Python recurses)."""
        top = _dom_node(serialized)
        top.parent = parent
        self.nodes[top.id] = top
        pending = [(serialized, top)]
        while pending:
            item, node = pending.pop()
            if item["type"] == 0 or item["type"] == 2:
                for child in item["childNodes"]:
                    child_node = _dom_node(child)
                    child_node.parent = node.id
                    self.nodes[child_node.id] = child_node
                    node.children.append(child_node.id)
                    pending.append((child, child_node))
        return top.id

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
        if add.parentId not in self.nodes:  # the parent was inside the subtree just replaced
            return
        node_id = self._insert(add.node, add.parentId)
        siblings = self.nodes[add.parentId].children
        if add.nextId is not None and add.nextId in siblings:
            siblings.insert(siblings.index(add.nextId), node_id)
        else:
            siblings.append(node_id)

    # --- reading ---------------------------------------------------------------------------

    def text_content(self, node_id: int) -> str:
        parts: list[str] = []
        seen: set[int] = set()
        pending = [node_id]
        while pending:
            node = self.nodes.get(pending.pop())
            if node is None or node.id in seen:
                continue
            seen.add(node.id)  # crafted ids can share a node between parents: read it once
            if node.kind == 3:
                parts.append(node.text)
            pending.extend(reversed(node.children))
        return "".join(parts)

    def css_path(self, node_id: int) -> str:
        """A readable CSS-like path, from the nearest ancestor with an id (or from html)."""
        parts: list[str] = []
        node = self.nodes.get(node_id)
        if node is not None and node.kind != 2 and node.parent is not None:
            node = self.nodes.get(node.parent)
        seen: set[int] = set()
        while node is not None and node.kind == 2 and node.id not in seen:
            seen.add(node.id)  # crafted ids can make a parent chain loop
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
            c
            for c in parent.children
            if (sibling := self.nodes.get(c)) and sibling.kind == 2 and sibling.tag == node.tag
        ]
        if len(same_tag) > 1 and node.id in same_tag:
            suffix += f":nth-of-type({same_tag.index(node.id) + 1})"
        return suffix

    def ancestors(self, node_id: int) -> list[DomNode]:
        chain: list[DomNode] = []
        seen: set[int] = set()
        node = self.nodes.get(node_id)
        while node is not None and id(node) not in seen:
            seen.add(id(node))  # crafted ids can make a parent chain loop
            chain.append(node)
            node = self.nodes.get(node.parent) if node.parent is not None else None
        return chain

    def to_html(self) -> str:
        """The DOM as HTML that runs no script (see ``sessiontape._html``)."""
        return serialise(self.nodes, self.root_id)


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
