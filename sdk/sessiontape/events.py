"""Typed models of the rrweb v2 event schema, and of sessiontape's ingest envelope.

The numbering matches rrweb's ``@rrweb/types`` (``EventType``, ``IncrementalSource``,
``MouseInteractions``) and ``rrweb-snapshot`` (``NodeType``). Models allow extra keys so that a
decoded event encodes back to the JSON it came from.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Any, Literal, NotRequired

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    FailFast,
    Field,
    TypeAdapter,
    with_config,
)
from typing_extensions import TypedDict


class EventType(IntEnum):
    DOM_CONTENT_LOADED = 0
    LOAD = 1
    FULL_SNAPSHOT = 2
    INCREMENTAL_SNAPSHOT = 3
    META = 4
    CUSTOM = 5
    PLUGIN = 6


class IncrementalSource(IntEnum):
    MUTATION = 0
    MOUSE_MOVE = 1
    MOUSE_INTERACTION = 2
    SCROLL = 3
    VIEWPORT_RESIZE = 4
    INPUT = 5
    TOUCH_MOVE = 6
    MEDIA_INTERACTION = 7
    STYLE_SHEET_RULE = 8
    CANVAS_MUTATION = 9
    FONT = 10
    LOG = 11
    DRAG = 12
    STYLE_DECLARATION = 13
    SELECTION = 14
    ADOPTED_STYLE_SHEET = 15
    CUSTOM_ELEMENT = 16


class MouseInteraction(IntEnum):
    MOUSE_UP = 0
    MOUSE_DOWN = 1
    CLICK = 2
    CONTEXT_MENU = 3
    DBL_CLICK = 4
    FOCUS = 5
    BLUR = 6
    TOUCH_START = 7
    TOUCH_MOVE_DEPARTED = 8
    TOUCH_END = 9
    TOUCH_CANCEL = 10


class NodeType(IntEnum):
    DOCUMENT = 0
    DOCUMENT_TYPE = 1
    ELEMENT = 2
    TEXT = 3
    CDATA = 4
    COMMENT = 5


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# --- serialized DOM nodes (rrweb-snapshot) ---------------------------------------------------

AttributeValue = str | int | float | bool | None
Number = int | float
"""JSON numbers keep their form: an integer coordinate encodes back as an integer."""


# Serialized nodes and mouse positions are TypedDicts, not models: a session holds hundreds of
# thousands of them, and validating into plain dicts is several times faster than building
# objects, while type checkers still see every key.


@with_config(ConfigDict(extra="allow"))
class DocumentNode(TypedDict):
    type: Literal[0]
    id: int
    childNodes: list[SerializedNode]
    compatMode: NotRequired[str]
    rootId: NotRequired[int]


@with_config(ConfigDict(extra="allow"))
class DocumentTypeNode(TypedDict):
    type: Literal[1]
    id: int
    name: str
    publicId: str
    systemId: str
    rootId: NotRequired[int]


@with_config(ConfigDict(extra="allow"))
class ElementNode(TypedDict):
    type: Literal[2]
    id: int
    tagName: str
    attributes: dict[str, AttributeValue]
    childNodes: list[SerializedNode]
    isSVG: NotRequired[bool]
    needBlock: NotRequired[bool]
    isShadowHost: NotRequired[bool]
    isShadow: NotRequired[bool]
    rootId: NotRequired[int]


@with_config(ConfigDict(extra="allow"))
class TextNode(TypedDict):
    type: Literal[3]
    id: int
    textContent: str
    isStyle: NotRequired[bool]
    rootId: NotRequired[int]


@with_config(ConfigDict(extra="allow"))
class CDataNode(TypedDict):
    type: Literal[4]
    id: int
    textContent: str
    rootId: NotRequired[int]


@with_config(ConfigDict(extra="allow"))
class CommentNode(TypedDict):
    type: Literal[5]
    id: int
    textContent: str
    rootId: NotRequired[int]


SerializedNode = Annotated[
    DocumentNode | DocumentTypeNode | ElementNode | TextNode | CDataNode | CommentNode,
    Field(discriminator="type"),
]


# --- incremental snapshot payloads ----------------------------------------------------------


class TextMutation(_Model):
    id: int
    value: str | None


class AttributeMutation(_Model):
    id: int
    attributes: dict[str, str | dict[str, Any] | None]


class RemovedNode(_Model):
    parentId: int
    id: int
    isShadow: bool | None = None


class AddedNode(_Model):
    parentId: int
    nextId: int | None
    previousId: int | None = None
    node: SerializedNode


class MutationData(_Model):
    source: Literal[IncrementalSource.MUTATION]
    texts: list[TextMutation]
    attributes: list[AttributeMutation]
    removes: list[RemovedNode]
    adds: list[AddedNode]
    isAttachIframe: bool | None = None


@with_config(ConfigDict(extra="allow"))
class MousePosition(TypedDict):
    x: Number
    y: Number
    id: int
    timeOffset: int


class MouseMoveData(_Model):
    source: Literal[
        IncrementalSource.MOUSE_MOVE, IncrementalSource.TOUCH_MOVE, IncrementalSource.DRAG
    ]
    positions: list[MousePosition]


class MouseInteractionData(_Model):
    source: Literal[IncrementalSource.MOUSE_INTERACTION]
    type: MouseInteraction
    id: int
    x: Number | None = None
    y: Number | None = None
    pointerType: int | None = None
    box: tuple[Number, Number, Number, Number] | None = None
    """Clicks (sessiontape): the target's viewport box, left, top, width, height."""


class ScrollData(_Model):
    source: Literal[IncrementalSource.SCROLL]
    id: int
    x: Number
    y: Number


class ViewportResizeData(_Model):
    source: Literal[IncrementalSource.VIEWPORT_RESIZE]
    width: int
    height: int


class InputData(_Model):
    source: Literal[IncrementalSource.INPUT]
    id: int
    text: str
    isChecked: bool
    userTriggered: bool | None = None


class MediaInteractionData(_Model):
    source: Literal[IncrementalSource.MEDIA_INTERACTION]
    type: int
    id: int
    currentTime: Number | None = None


class StyleSheetRuleData(_Model):
    source: Literal[IncrementalSource.STYLE_SHEET_RULE]
    id: int | None = None
    styleId: int | None = None
    adds: list[dict[str, Any]] | None = None
    removes: list[dict[str, Any]] | None = None


class OtherIncrementalData(_Model):
    """Sources the SDK carries through without interpreting (canvas, fonts, selection, ...)."""

    source: Literal[
        IncrementalSource.CANVAS_MUTATION,
        IncrementalSource.FONT,
        IncrementalSource.LOG,
        IncrementalSource.STYLE_DECLARATION,
        IncrementalSource.SELECTION,
        IncrementalSource.ADOPTED_STYLE_SHEET,
        IncrementalSource.CUSTOM_ELEMENT,
    ]


IncrementalData = Annotated[
    MutationData
    | MouseMoveData
    | MouseInteractionData
    | ScrollData
    | ViewportResizeData
    | InputData
    | MediaInteractionData
    | StyleSheetRuleData
    | OtherIncrementalData,
    Field(discriminator="source"),
]


# --- events ----------------------------------------------------------------------------------


class _Event(_Model):
    # Declared here so encoded events keep rrweb's key order: type, data, timestamp.
    type: EventType
    data: Any
    timestamp: int
    delay: int | None = None


class DomContentLoadedEvent(_Event):
    type: Literal[EventType.DOM_CONTENT_LOADED]
    data: dict[str, Any]


class LoadEvent(_Event):
    type: Literal[EventType.LOAD]
    data: dict[str, Any]


class FullSnapshotData(_Model):
    node: SerializedNode
    initialOffset: dict[str, Number]


class FullSnapshotEvent(_Event):
    type: Literal[EventType.FULL_SNAPSHOT]
    data: FullSnapshotData


class IncrementalSnapshotEvent(_Event):
    type: Literal[EventType.INCREMENTAL_SNAPSHOT]
    data: IncrementalData


class MetaData(_Model):
    href: str
    width: int
    height: int


class MetaEvent(_Event):
    type: Literal[EventType.META]
    data: MetaData


class CustomData(_Model):
    tag: str
    payload: Any


class CustomEvent(_Event):
    type: Literal[EventType.CUSTOM]
    data: CustomData


class PluginData(_Model):
    plugin: str
    payload: Any


class PluginEvent(_Event):
    type: Literal[EventType.PLUGIN]
    data: PluginData


Event = Annotated[
    DomContentLoadedEvent
    | LoadEvent
    | FullSnapshotEvent
    | IncrementalSnapshotEvent
    | MetaEvent
    | CustomEvent
    | PluginEvent,
    Field(discriminator="type"),
]


MAX_TIMESTAMP = 2**53 - 1


def check_event_shape(event: dict[str, Any]) -> dict[str, Any]:
    """The envelope of an rrweb event: a known ``type``, an integer ``timestamp``, a ``data``
    object. The payload inside ``data`` is typed on read (strictly or leniently)."""
    kind, timestamp = event.get("type"), event.get("timestamp")
    if type(kind) is not int or not 0 <= kind <= max(EventType):
        raise ValueError(f"type must be an rrweb EventType (0..{max(EventType)}), not {kind!r}")
    if type(timestamp) is not int or not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError("timestamp must be an integer count of ms since the epoch")
    if not isinstance(event.get("data"), dict):
        raise ValueError("data must be an object")
    return event


RawEventShape = Annotated[dict[str, Any], AfterValidator(check_event_shape)]


class Envelope(_Model):
    """One batch as the recorder sends it to ``POST /v1/ingest``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    v: Literal[1]
    session: str = Field(pattern=r"^[0-9a-f]{32}$")
    window: str = Field(pattern=r"^[0-9a-f]{16}$")
    seq: int = Field(ge=0, le=2**31 - 1)
    events: Annotated[list[RawEventShape], FailFast()] = Field(min_length=1)
    """Validation stops at the first faulty event: a batch of a million faults builds one error."""


ENVELOPE_FIELDS = frozenset(Envelope.model_fields)


event_adapter: TypeAdapter[Event] = TypeAdapter(Event)
event_list_adapter: TypeAdapter[list[Event]] = TypeAdapter(list[Event])

for _model in (AddedNode, FullSnapshotData):
    _model.model_rebuild()
